import { connect, type NatsConnection } from 'nats';
import { PutRecordError, ShardlineApiError, ShardlineClient, ShardlineProducer, type PutAck } from '@shardline/client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

/** Every record of a stream, shard by shard, as `key -> data in stored order`. */
async function storedByKey(client: ShardlineClient, name: string): Promise<Map<string, string[]>> {
  const byKey = new Map<string, string[]>();
  for (const shard of (await client.streams.describe(name)).shards) {
    for await (const record of client.records.iterate(name, shard.shardId, { limit: 10_000 })) {
      const list = byKey.get(record.partitionKey) ?? [];
      list.push(Buffer.from(record.dataBase64, 'base64').toString());
      byKey.set(record.partitionKey, list);
    }
  }
  return byKey;
}

/** `count` records over `keys` keys, data `<key>:<n>` with n counting per key. */
function workload(count: number, keys: number) {
  return Array.from({ length: count }, (_, i) => ({ key: `key-${i % keys}`, data: `key-${i % keys}:${Math.floor(i / keys)}` }));
}

function expectInPutOrder(byKey: Map<string, string[]>, records: Array<{ key: string; data: string }>): void {
  const expected = new Map<string, string[]>();
  for (const r of records) expected.set(r.key, [...(expected.get(r.key) ?? []), r.data]);
  expect(byKey).toEqual(expected);
}

describe('ShardlineProducer over NATS', () => {
  let sl: TestPlatform;
  let nc: NatsConnection;
  let client: ShardlineClient;

  beforeAll(async () => {
    sl = await startTestPlatform();
    nc = await connect({ servers: sl.config.natsUrl });
    client = new ShardlineClient({ endpoint: sl.endpoint });
  });
  afterAll(async () => {
    await nc.close();
    await sl.close();
  });

  it('batches into few requests and stores every key\'s records in put order', async () => {
    const name = randomName('producer');
    await client.streams.create({ name, shardCount: 2 });
    await client.streams.waitFor(name);
    const producer = new ShardlineProducer(nc, { prefix: sl.config.natsApiPrefix });
    const records = workload(5000, 20);
    const acks = await producer.putMany(name, records);
    // 5000 records: 10 full batches of 500 at best; keeping key order, a batch may stop short at busy keys.
    expect(producer.stats.requests).toBeGreaterThanOrEqual(10);
    expect(producer.stats.requests).toBeLessThanOrEqual(20);
    expect(producer.stats.retries).toBe(0);
    const seqByKey = new Map<string, PutAck[]>();
    records.forEach((r, i) => seqByKey.set(r.key, [...(seqByKey.get(r.key) ?? []), acks[i]]));
    for (const list of seqByKey.values()) {
      for (let i = 1; i < list.length; i++) expect(BigInt(list[i].sequenceNumber) > BigInt(list[i - 1].sequenceNumber)).toBe(true);
    }
    expectInPutOrder(await storedByKey(client, name), records);
    await producer.close();
  });

  it('lingers for company: puts spread over time still share requests; flush sends at once', async () => {
    const name = randomName('linger');
    await client.streams.create({ name, shardCount: 1 });
    await client.streams.waitFor(name);
    const producer = new ShardlineProducer(nc, { prefix: sl.config.natsApiPrefix, lingerMs: 50 });
    const pending = [producer.put(name, 'a', 'one'), producer.put(name, 'b', Buffer.from('two'))];
    await new Promise((resolve) => setTimeout(resolve, 5));
    pending.push(producer.put(name, 'a', 'three'));
    await producer.flush();
    const acks = await Promise.all(pending);
    expect(producer.stats.requests).toBe(1);
    expect(acks.map((a) => a.shardId)).toEqual(['shardId-000000000000', 'shardId-000000000000', 'shardId-000000000000']);
    await producer.close();
    await expect(producer.put(name, 'a', 'late')).rejects.toThrow('closed');
  });

  it('rejects records of a request the server refuses (no retry)', async () => {
    const producer = new ShardlineProducer(nc, { prefix: sl.config.natsApiPrefix });
    const err = await producer.put('no-such-stream', 'k', 'x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShardlineApiError);
    expect((err as ShardlineApiError).kind).toBe('resource-not-found');
    expect(producer.stats.requests).toBe(1);
    await producer.close();
  });
});

describe('ShardlineProducer against throttled shards', () => {
  let sl: TestPlatform;
  let nc: NatsConnection;
  let client: ShardlineClient;

  beforeAll(async () => {
    // 1000 records/s per shard (the Kinesis limit) enforced: a fast producer gets per-record throttling.
    sl = await startTestPlatform({ shardLimits: { enabled: true, readCallsPerSecond: 100, readBytesPerSecond: 64 * 1024 * 1024 }, shardWriteRecordsPerSecond: 1000 });
    nc = await connect({ servers: sl.config.natsUrl });
    client = new ShardlineClient({ endpoint: sl.endpoint });
  });
  afterAll(async () => {
    await nc.close();
    await sl.close();
  });

  it('retries only throttled records, with backoff, keeping each key in put order', async () => {
    const name = randomName('throttled');
    await client.streams.create({ name, shardCount: 1 });
    await client.streams.waitFor(name);
    const producer = new ShardlineProducer(nc, { prefix: sl.config.natsApiPrefix, maxAttempts: 20 });
    const records = workload(2500, 5);
    const started = Date.now();
    await producer.putMany(name, records);
    expect(producer.stats.retries).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThan(1000); // 2500 records at 1000/s cannot be stored at once
    expectInPutOrder(await storedByKey(client, name), records);
    await producer.close();
  });

  it('gives up after maxAttempts with the last per-record error', async () => {
    const name = randomName('giveup');
    await client.streams.create({ name, shardCount: 1 });
    await client.streams.waitFor(name);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a fresh one-second window
    const producer = new ShardlineProducer(nc, { prefix: sl.config.natsApiPrefix, maxAttempts: 1 });
    const results = await Promise.allSettled(workload(1500, 1500).map((r) => producer.put(name, r.key, r.data)));
    const failures = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason as PutRecordError);
    expect(failures.length).toBeGreaterThanOrEqual(400);
    expect(failures[0]).toBeInstanceOf(PutRecordError);
    expect(failures[0]).toMatchObject({ code: 'ProvisionedThroughputExceededException', attempts: 1 });
    expect(producer.stats.retries).toBe(0);
    await producer.close();
  });
});
