import { throughputExceeded } from '@shardline/protocol';
import { DebtBucket, SlidingWindow } from './rate-window';

interface ShardReads {
  calls: SlidingWindow;
  bytes: DebtBucket;
  usedAt: number;
}

/** Read limits of a shard: GetRecords calls per second and bytes per second. */
export interface ReadLimits {
  callsPerSecond: number;
  bytesPerSecond: number;
}

/**
 * GetRecords limits per shard, counted in the process that serves the read. Reads are
 * served by any gateway, so with several gateways each counts its own calls: exact under
 * `npm start` (one process) and with one gateway, at most gateways × the limit otherwise
 * (best effort, documented). Counting at the shard's actor would be exact but would add a
 * NATS round trip to every read served away from the owner.
 */
export class ReadThrottle {
  private readonly shards = new Map<string, ShardReads>();

  constructor(
    private readonly limits: ReadLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Admits one GetRecords call of the shard `key`, or throws ProvisionedThroughputExceededException
   * with `message()`: over the calls per second, or while the bytes of earlier calls are not
   * yet paid for at the byte rate.
   */
  admit(key: string, message: () => string): void {
    const now = this.now();
    const reads = this.reads(key, now);
    if (!reads.bytes.open(now) || !reads.calls.tryAdd(now, 1, 0)) throw throughputExceeded(message());
  }

  /** Charges the bytes an admitted call returned. */
  charge(key: string, bytes: number): void {
    const now = this.now();
    this.reads(key, now).bytes.charge(now, bytes);
  }

  private reads(key: string, now: number): ShardReads {
    let reads = this.shards.get(key);
    if (!reads) {
      if (this.shards.size >= 10_000) this.forgetIdle(now);
      reads = {
        calls: new SlidingWindow({ count: this.limits.callsPerSecond, bytes: Number.MAX_SAFE_INTEGER }),
        bytes: new DebtBucket(this.limits.bytesPerSecond),
        usedAt: now,
      };
      this.shards.set(key, reads);
    }
    reads.usedAt = now;
    return reads;
  }

  /** Shards not read for a while have full allowances again: their state can go. */
  private forgetIdle(now: number): void {
    for (const [key, reads] of this.shards) if (now - reads.usedAt > 60_000) this.shards.delete(key);
  }
}
