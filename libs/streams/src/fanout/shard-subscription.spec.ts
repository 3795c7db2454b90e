import { encodeSequenceNumber } from '@shardline/protocol';
import type { ChildShard, RecordPosition, ShardEvent, StoredRecord } from '@shardline/protocol';
import type { ShardRead } from '../data/shard-reader';
import type { AppendListener } from './append-notices';
import { continuationSequenceNumber, ShardSubscription, type SubscriptionSource } from './shard-subscription';

/** A shard in memory: one record per message (JetStream sequence = position + 1), closable. */
class MemoryShard implements SubscriptionSource {
  readonly shardIndex = 3;
  records: StoredRecord[] = [];
  closed = false;
  children: ChildShard[] = [];
  private readonly listeners = new Set<AppendListener>();

  append(count: number): void {
    for (let i = 0; i < count; i++) {
      const seq = this.records.length + 1;
      this.records.push({
        sequenceNumber: encodeSequenceNumber(this.shardIndex, { seq, index: 0 }),
        partitionKey: 'k',
        data: Buffer.from(`r${seq}`),
        arrivalTimestamp: new Date(1000 + seq),
      });
    }
    this.listeners.forEach((listener) => listener(this.records.length));
  }

  close(children: ChildShard[]): void {
    this.closed = true;
    this.children = children;
    this.listeners.forEach((listener) => listener(undefined));
  }

  async read(from: RecordPosition): Promise<ShardRead> {
    const start = Math.max(from.seq, 1) - 1 + (from.index > 0 ? 1 : 0);
    const records = this.records.slice(start);
    const next = { seq: this.records.length + 1, index: 0 };
    return { records, next, atTip: true, lastArrival: records.at(-1)?.arrivalTimestamp.getTime() };
  }

  async shardState() {
    return { closed: this.closed, children: this.children };
  }

  watch(listener: AppendListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get watchers(): number {
    return this.listeners.size;
  }
}

const CHILDREN: ChildShard[] = [
  { shardId: 'shardId-000000000004', parentShards: ['shardId-000000000003'], hashKeyStart: 0n, hashKeyEnd: 9n },
  { shardId: 'shardId-000000000005', parentShards: ['shardId-000000000003'], hashKeyStart: 10n, hashKeyEnd: 19n },
];

async function next(iterator: AsyncIterator<ShardEvent>): Promise<ShardEvent | undefined> {
  const result = await iterator.next();
  return result.done ? undefined : result.value;
}

describe('ShardSubscription', () => {
  const timing = { maxMs: 60_000, keepAliveMs: 60_000, now: Date.now };

  it('sends a first event at once, even empty, with a continuation number', async () => {
    const shard = new MemoryShard();
    const events = new ShardSubscription(shard, { seq: 1, index: 0 }, timing)[Symbol.asyncIterator]();
    const first = await next(events);
    expect(first).toEqual({
      records: [],
      continuationSequenceNumber: encodeSequenceNumber(3, { seq: 0, index: 9_999_999 }),
      millisBehindLatest: 0,
    });
    await events.return?.();
    expect(shard.watchers).toBe(0);
  });

  it('is woken by append notices, not by polling, and delivers each record once', async () => {
    const shard = new MemoryShard();
    const events = new ShardSubscription(shard, { seq: 1, index: 0 }, timing)[Symbol.asyncIterator]();
    await next(events);
    const pending = next(events);
    shard.append(2);
    const second = await pending;
    expect(second?.records.map((r) => r.data.toString())).toEqual(['r1', 'r2']);
    expect(second?.continuationSequenceNumber).toBe(shard.records[1]!.sequenceNumber);
    const third = next(events);
    shard.append(1);
    expect((await third)?.records.map((r) => r.data.toString())).toEqual(['r3']);
    await events.return?.();
  });

  it('ends a closed shard read to its end with ChildShards and no continuation number', async () => {
    const shard = new MemoryShard();
    shard.append(1);
    const events = new ShardSubscription(shard, { seq: 1, index: 0 }, timing)[Symbol.asyncIterator]();
    expect((await next(events))?.records).toHaveLength(1);
    const pending = next(events);
    shard.append(1);
    shard.close(CHILDREN);
    const last = await pending;
    expect(last).toEqual({ records: [expect.objectContaining({ partitionKey: 'k' })], millisBehindLatest: 0, childShards: CHILDREN });
    expect(last).not.toHaveProperty('continuationSequenceNumber');
    expect(await next(events)).toBeUndefined();
  });

  it('sends empty keep-alive events while idle and ends at its time limit', async () => {
    let now = 0;
    const shard = new MemoryShard();
    const subscription = new ShardSubscription(shard, { seq: 1, index: 0 }, { maxMs: 25, keepAliveMs: 10, now: () => now });
    const events = subscription[Symbol.asyncIterator]();
    await next(events);
    now = 10; // the keep-alive is due when the wait (10 ms of real time) ends
    expect(await next(events)).toMatchObject({ records: [] });
    now = 30; // past the time limit
    expect(await next(events)).toMatchObject({ records: [] });
    expect(await next(events)).toBeUndefined();
  });

  it('ends with the error it was failed with, and at once when closed', async () => {
    const shard = new MemoryShard();
    const failing = new ShardSubscription(shard, { seq: 1, index: 0 }, timing);
    const events = failing[Symbol.asyncIterator]();
    await next(events);
    const pending = next(events);
    failing.fail(new Error('taken over'));
    await expect(pending).rejects.toThrow('taken over');

    const closing = new ShardSubscription(shard, { seq: 1, index: 0 }, timing);
    const closingEvents = closing[Symbol.asyncIterator]();
    await next(closingEvents);
    const waiting = next(closingEvents);
    closing.close();
    expect(await waiting).toBeUndefined();
  });
});

describe('continuationSequenceNumber', () => {
  it('names the record just before the next position', () => {
    expect(continuationSequenceNumber(2, { seq: 7, index: 3 })).toBe(encodeSequenceNumber(2, { seq: 7, index: 2 }));
    expect(continuationSequenceNumber(2, { seq: 7, index: 0 })).toBe(encodeSequenceNumber(2, { seq: 6, index: 9_999_999 }));
    expect(continuationSequenceNumber(2, { seq: 0, index: 0 })).toBe(encodeSequenceNumber(2, { seq: 0, index: 9_999_999 }));
  });
});
