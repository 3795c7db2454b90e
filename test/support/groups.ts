import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { GroupBatch } from '@shardline/streams';

/** One record as a group member got it. */
export interface Delivery {
  member: string;
  shardId: string;
  sequenceNumber: string;
  key: string;
  n: number;
}

/** Every delivery of a test's group, in the order handlers ran (one process: one global order). */
export class DeliveryLog {
  readonly deliveries: Delivery[] = [];

  /** A handler that logs each record of a batch ("key:n" data). */
  record(batch: GroupBatch): void {
    for (const r of batch.records) {
      const [key, n] = r.data.toString().split(':');
      this.deliveries.push({ member: batch.memberId, shardId: batch.shardId, sequenceNumber: r.sequenceNumber, key: key!, n: Number(n) });
    }
  }

  /** Logs one record delivered elsewhere (a member in another process). */
  push(delivery: { member: string; shardId: string; sequenceNumber: string; data: string }): void {
    const [key, n] = delivery.data.split(':');
    this.deliveries.push({ member: delivery.member, shardId: delivery.shardId, sequenceNumber: delivery.sequenceNumber, key: key!, n: Number(n) });
  }

  /** Sequence numbers delivered, with how many times each. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const d of this.deliveries) counts.set(d.sequenceNumber, (counts.get(d.sequenceNumber) ?? 0) + 1);
    return counts;
  }

  hasAll(sequenceNumbers: Iterable<string>): boolean {
    const counts = this.counts();
    return [...sequenceNumbers].every((s) => counts.has(s));
  }
}

/**
 * Puts `count` records numbered per key ("key:n") over `keys` partition keys through the
 * AWS SDK, continuing each key's numbering from `next`; answers the acknowledged records.
 */
export async function putNumbered(
  kinesis: KinesisClient,
  StreamName: string,
  count: number,
  keys: number,
  next: Map<string, number>,
): Promise<Array<{ sequenceNumber: string; shardId: string; key: string; n: number }>> {
  const acked: Array<{ sequenceNumber: string; shardId: string; key: string; n: number }> = [];
  for (let from = 0; from < count; from += 250) {
    const batch = Array.from({ length: Math.min(250, count - from) }, (_, i) => {
      const key = `key-${(from + i) % keys}`;
      const n = next.get(key) ?? 0;
      next.set(key, n + 1);
      return { key, n };
    });
    const out = await kinesis.send(
      new PutRecordsCommand({ StreamName, Records: batch.map(({ key, n }) => ({ PartitionKey: key, Data: Buffer.from(`${key}:${n}`) })) }),
    );
    if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records failed`);
    out.Records!.forEach((r, i) => acked.push({ sequenceNumber: r.SequenceNumber!, shardId: r.ShardId!, ...batch[i]! }));
  }
  return acked;
}

/** Polls `check` every 50 ms until it answers true; throws after `timeoutMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check()) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
