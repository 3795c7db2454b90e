import { connect, type NatsConnection } from 'nats';
import { ShardlineClient, ShardlineProducer, type GroupConsumer, type GroupRecord } from '@shardline/client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { eventually } from '../support/groups';

/** Every record handled, by member, in handling order. */
class Handled {
  readonly records: Array<{ member: string; sequenceNumber: string; key: string; data: string }> = [];

  handler() {
    return (record: GroupRecord, batch: { memberId: string }) => {
      this.records.push({ member: batch.memberId, sequenceNumber: record.sequenceNumber, key: record.partitionKey, data: record.data.toString() });
    };
  }

  has(sequenceNumbers: string[]): boolean {
    const seen = new Set(this.records.map((r) => r.sequenceNumber));
    return sequenceNumbers.every((s) => seen.has(s));
  }
}

describe('@shardline/client consumer groups', () => {
  let sl: TestPlatform;
  let nc: NatsConnection;
  let producer: ShardlineProducer;
  const consumers: GroupConsumer[] = [];

  beforeAll(async () => {
    sl = await startTestPlatform({ groupMemberTtlMs: 1500, groupHeartbeatMs: 250 });
    nc = await connect({ servers: sl.config.natsUrl });
    producer = new ShardlineProducer(nc, { prefix: sl.config.natsApiPrefix });
  });
  afterAll(async () => {
    await Promise.allSettled(consumers.map((c) => c.stop()));
    await producer.close();
    await nc.close();
    await sl.close();
  });

  /** Puts `count` records numbered per key ("key-k:n"); answers their sequence numbers. */
  async function put(stream: string, count: number, next: Map<string, number>): Promise<string[]> {
    const records = Array.from({ length: count }, (_, i) => {
      const key = `key-${i % 20}`;
      const n = next.get(key) ?? 0;
      next.set(key, n + 1);
      return { key, data: `${key}:${n}` };
    });
    return (await producer.putMany(stream, records)).map((ack) => ack.sequenceNumber);
  }

  it('consumes every record over NATS with checkpoints, and rebalances to a second consumer without skipping any', async () => {
    const client = new ShardlineClient({ endpoint: sl.endpoint, nats: nc, natsPrefix: sl.config.natsApiPrefix });
    const stream = randomName('cgrp');
    await client.streams.create({ name: stream, shardCount: 4 });
    await client.streams.waitFor(stream);
    const next = new Map<string, number>();
    const first = await put(stream, 2000, next);

    const handled = new Handled();
    const errors: unknown[] = [];
    const a = await client.group(stream, 'workers').consume(handled.handler(), { onError: (e) => errors.push(e) });
    consumers.push(a);
    await eventually(() => handled.has(first), 10_000, 'first records');
    // Exactly as put: the same bytes under the same keys, each once.
    expect(handled.records.map((r) => r.data).sort()).toEqual([...next.keys()].flatMap((k) => Array.from({ length: next.get(k)! }, (_, n) => `${k}:${n}`)).sort());
    await eventually(async () => (await client.group(stream, 'workers').describe()).shards.every((s) => s.lagRecords === 0), 5000, 'lag 0');
    expect(a.shards).toHaveLength(4);

    const during = put(stream, 1000, next);
    const b = await client.group(stream, 'workers').consume(handled.handler(), { onError: (e) => errors.push(e) });
    consumers.push(b);
    const second = [...(await during), ...(await put(stream, 1000, next))];
    await eventually(() => a.shards.length === 2 && b.shards.length === 2, 8000, '2/2 after the rebalance');
    const third = await put(stream, 1000, next);
    await eventually(() => handled.has([...second, ...third]), 15_000, 'every record after the rebalance');
    expect(handled.records.some((r) => r.member === b.memberId)).toBe(true);
    // Per key, the handled numbers never go backwards except to redeliver (at least once): nothing is skipped.
    const byKey = new Map<string, Set<number>>();
    for (const r of handled.records) {
      const n = Number(r.data.split(':')[1]);
      byKey.set(r.key, (byKey.get(r.key) ?? new Set()).add(n));
    }
    for (const [key, seen] of byKey) expect([key, seen.size]).toEqual([key, next.get(key)]);

    // A batch in hand when its shard moved is checkpointed by its new holder once handled again.
    await eventually(async () => (await client.group(stream, 'workers').describe()).shards.every((s) => s.lagRecords === 0), 8000, 'lag 0 again');
    await a.stop();
    await b.stop();
    const view = await client.groups.describe(stream, 'workers');
    expect(view.members).toEqual([]);
    expect(view.shards.every((s) => s.lagRecords === 0 && s.checkpoint !== undefined)).toBe(true);
    expect(errors).toEqual([]);
  }, 40_000);

  it('delivers a batch again after its handler threw, and checkpoints only what was handled', async () => {
    const client = new ShardlineClient({ endpoint: sl.endpoint, nats: nc, natsPrefix: sl.config.natsApiPrefix });
    const stream = randomName('cgrp-fail');
    await client.streams.create({ name: stream, shardCount: 1 });
    await client.streams.waitFor(stream);
    const all = await put(stream, 20, new Map());
    const errors: unknown[] = [];
    const handled: string[] = [];
    let failures = 0;
    const consumer = await client.group(stream, 'flaky').consume(
      (record) => {
        if (handled.length === 5 && failures++ === 0) throw new Error('flaky handler');
        handled.push(record.sequenceNumber);
      },
      { onError: (e) => errors.push(e) },
    );
    consumers.push(consumer);
    await eventually(() => new Set(handled).size === 20, 10_000, 'every record after the failure');
    expect(errors).toEqual([new Error('flaky handler')]);
    // The failed batch came again from the checkpoint: its first five records twice, nothing skipped.
    expect(handled.slice(0, 5)).toEqual(all.slice(0, 5));
    expect(handled.slice(5)).toEqual(all);
    await eventually(async () => (await client.groups.describe(stream, 'flaky')).shards[0]!.lagRecords === 0, 5000, 'lag 0');
    await consumer.stop();
  }, 20_000);

  it('consumes over REST and Server-Sent Events when the client has no NATS connection', async () => {
    const client = new ShardlineClient({ endpoint: sl.endpoint });
    const stream = randomName('cgrp-rest');
    await client.streams.create({ name: stream, shardCount: 2 });
    await client.streams.waitFor(stream);
    const next = new Map<string, number>();
    const first = await put(stream, 500, next);
    const handled = new Handled();
    const batches: number[] = [];
    const consumer = await client.group(stream, 'rest').consumeBatches((batch) => {
      batches.push(batch.records.length);
      for (const record of batch.records) handled.handler()(record, batch);
    });
    consumers.push(consumer);
    await eventually(() => handled.has(first), 10_000, 'records over SSE');
    expect(handled.records).toHaveLength(500);
    expect(consumer.shards).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    await eventually(async () => (await client.groups.describe(stream, 'rest')).shards.every((s) => s.lagRecords === 0), 5000, 'lag 0');
    await consumer.stop();
    expect((await client.groups.describe(stream, 'rest')).members).toEqual([]);
    expect((await client.groups.list(stream)).groups.map((g) => g.groupName)).toEqual(['rest']);
  }, 20_000);
});
