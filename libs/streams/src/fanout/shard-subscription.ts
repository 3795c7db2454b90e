import { encodeSequenceNumber } from '@shardline/protocol';
import type { ChildShard, RecordPosition, ShardEvent, ShardEventStream } from '@shardline/protocol';
import type { ShardRead } from '../data/shard-reader';
import type { AppendListener } from './append-notices';

/** Highest index inside one record batch (the last 7 digits of a sequence number). */
const MAX_BATCH_INDEX = 9_999_999;

/** Where a subscription's records come from; the platform binds these to one shard. */
export interface SubscriptionSource {
  shardIndex: number;
  /** Reads the shard from a position (ShardReader.read). */
  read(from: RecordPosition): Promise<ShardRead>;
  /** The shard as stream metadata has it now: closed, and then its children. */
  shardState(): Promise<{ closed: boolean; children: ChildShard[] }>;
  /** Listens to the shard's append notices; answers the function that stops listening. */
  watch(listener: AppendListener): () => void;
}

/** Times of a subscription; tests shorten them and move the clock. */
export interface SubscriptionTiming {
  /** How long the subscription lasts (AWS: 5 minutes). */
  maxMs: number;
  /** An event at least this often, empty when nothing was appended (AWS: ~5 s). */
  keepAliveMs: number;
  now(): number;
}

/**
 * The sequence number whose AFTER_SEQUENCE_NUMBER position is `next`: the last record
 * delivered, or, before a message's first record, a number past the previous message's last
 * record (batch index 9999999), so a renewed subscription continues exactly at `next`.
 */
export function continuationSequenceNumber(shardIndex: number, next: RecordPosition): string {
  return next.index > 0
    ? encodeSequenceNumber(shardIndex, { seq: next.seq, index: next.index - 1 })
    : encodeSequenceNumber(shardIndex, { seq: Math.max(next.seq - 1, 0), index: MAX_BATCH_INDEX });
}

/**
 * One SubscribeToShard's events: the first at once (empty on an idle shard), then one per
 * read that found records, woken by append notices (no polling), an empty one every
 * keep-alive interval while idle, and a last one with ChildShards (and no continuation
 * number) once a closed shard has been read to its end. It ends at its time limit, on
 * `close()`, or by throwing the error given to `fail()`.
 */
export class ShardSubscription implements ShardEventStream {
  private position: RecordPosition;
  private closed = false;
  private error?: Error;
  private wake: () => void = () => undefined;
  private woken = false;

  constructor(
    private readonly source: SubscriptionSource,
    start: RecordPosition,
    private readonly timing: SubscriptionTiming,
  ) {
    this.position = start;
  }

  close(): void {
    this.closed = true;
    this.signal();
  }

  /** Ends the subscription with an error (sent to the client as an exception event). */
  fail(error: Error): void {
    this.error ??= error;
    this.signal();
  }

  [Symbol.asyncIterator](): AsyncIterator<ShardEvent> {
    return this.events();
  }

  private async *events(): AsyncGenerator<ShardEvent> {
    const deadline = this.timing.now() + this.timing.maxMs;
    let lastEventAt = Number.NEGATIVE_INFINITY;
    const unwatch = this.source.watch((lastSeq) => {
      if (lastSeq === undefined || lastSeq >= this.position.seq) this.signal();
    });
    try {
      for (;;) {
        this.woken = false; // before the read: a notice during the read wakes the next wait at once
        const read = await this.source.read(this.position);
        this.throwIfFailed();
        if (this.closed) return;
        this.position = read.next;
        if (read.atTip) {
          const state = await this.source.shardState();
          if (state.closed) return yield this.lastEvent(read, state.children);
        }
        const now = this.timing.now();
        if (read.records.length > 0 || now - lastEventAt >= this.timing.keepAliveMs) {
          lastEventAt = now;
          yield this.event(read);
        }
        if (now >= deadline) return;
        if (!read.atTip) continue;
        await this.sleep(Math.min(lastEventAt + this.timing.keepAliveMs, deadline) - now);
        this.throwIfFailed();
        if (this.closed) return;
      }
    } finally {
      unwatch();
    }
  }

  private event(read: ShardRead): ShardEvent {
    const lastArrival = read.lastArrival;
    return {
      records: read.records,
      // The last record delivered when there is one (what KCL checkpoints), else a number just before `next`.
      continuationSequenceNumber:
        read.records.length > 0
          ? read.records[read.records.length - 1]!.sequenceNumber
          : continuationSequenceNumber(this.source.shardIndex, read.next),
      millisBehindLatest: read.atTip || lastArrival === undefined ? 0 : Math.max(0, this.timing.now() - lastArrival),
    };
  }

  private lastEvent(read: ShardRead, children: ChildShard[]): ShardEvent {
    return { records: read.records, millisBehindLatest: 0, childShards: children };
  }

  private throwIfFailed(): void {
    if (this.error) throw this.error;
  }

  private signal(): void {
    this.woken = true;
    this.wake();
  }

  /** Waits for a notice, close, failure, or `ms`, whichever comes first. */
  private sleep(ms: number): Promise<void> {
    if (this.woken || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = () => undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
