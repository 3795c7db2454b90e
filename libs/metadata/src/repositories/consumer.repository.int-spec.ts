import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { createDataSource } from '../data-source';
import { newStream } from '../testing/stream-fixture';
import { ConsumerRepository, type NewConsumer } from './consumer.repository';
import { StreamRepository } from './stream.repository';

describe('ConsumerRepository', () => {
  let dataSource: DataSource;
  let now: Date;
  let consumers: ConsumerRepository;
  let streams: StreamRepository;

  beforeAll(async () => {
    dataSource = await createDataSource(testDatabaseUrl()).initialize();
  });
  afterAll(() => dataSource.destroy());
  beforeEach(() => {
    now = new Date();
    consumers = new ConsumerRepository(dataSource, () => now);
    streams = new StreamRepository(dataSource, () => now);
  });

  async function stream() {
    return streams.create(newStream(randomName()));
  }

  const input = (streamId: string, name: string, limit = 20): NewConsumer => ({
    streamId,
    name,
    arnAt: (createdAt) => `arn:aws:kinesis:us-east-1:000000000000:stream/${streamId}/consumer/${name}:${createdAt.getTime() / 1000}`,
    readyAt: new Date(now.getTime() + 1000),
    limit,
  });

  it('registers consumers up to the limit, refuses live names, and counts them on the stream', async () => {
    const s = await stream();
    const first = await consumers.register(input(s.id, 'a', 2));
    expect(first).toMatchObject({ kind: 'created', consumer: { name: 'a', status: 'CREATING', streamArn: s.arn } });
    expect(await consumers.register(input(s.id, 'a', 2))).toEqual({ kind: 'exists' });
    expect((await consumers.register(input(s.id, 'b', 2))).kind).toBe('created');
    expect(await consumers.register(input(s.id, 'c', 2))).toEqual({ kind: 'limit' });
    expect((await streams.findById(s.id))!.consumerCount).toBe(2);
    now = new Date(now.getTime() + 1000);
    expect((await consumers.findByName(s.id, 'a'))!.status).toBe('ACTIVE');
  });

  it('registers at most the limit when registrations race', async () => {
    const s = await stream();
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => consumers.register(input(s.id, `c${i}`, 3))));
    expect(results.filter((r) => r.kind === 'created')).toHaveLength(3);
    expect(results.filter((r) => r.kind === 'limit')).toHaveLength(3);
  });

  it('deregisters: DELETING until gone, then the name is free again and the row is purged', async () => {
    const s = await stream();
    const created = await consumers.register(input(s.id, 'a'));
    if (created.kind !== 'created') throw new Error('not created');
    await consumers.markDeleting(created.consumer.id, new Date(now.getTime() + 500));
    expect((await consumers.findByArn(created.consumer.arn))!.status).toBe('DELETING');
    expect(await consumers.register(input(s.id, 'a'))).toEqual({ kind: 'exists' });
    now = new Date(now.getTime() + 500);
    expect(await consumers.findByArn(created.consumer.arn)).toBeUndefined();
    expect((await consumers.register(input(s.id, 'a'))).kind).toBe('created');
    expect(await consumers.purgeGone()).toBeGreaterThanOrEqual(1);
  });

  it('holds one subscription per consumer and shard: refused while fresh, taken over after the takeover time, released at the end', async () => {
    const s = await stream();
    const created = await consumers.register(input(s.id, 'a'));
    if (created.kind !== 'created') throw new Error('not created');
    const id = created.consumer.id;
    const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await consumers.acquireSubscription(id, 0, first, 10_000, 60_000)).toBe(true);
    expect(await consumers.acquireSubscription(id, 0, second, 10_000, 60_000)).toBe(false);
    expect(await consumers.acquireSubscription(id, 1, second, 10_000, 60_000)).toBe(true); // another shard
    expect(await consumers.renewSubscription(first, 10_000)).toBe(true);
    // A takeover time of 0: the held lease is old enough, the new caller takes it, the old holder loses it.
    expect(await consumers.acquireSubscription(id, 0, third, 10_000, 0)).toBe(true);
    expect(await consumers.renewSubscription(first, 10_000)).toBe(false);
    await consumers.releaseSubscription(third);
    expect(await consumers.acquireSubscription(id, 0, first, 10_000, 60_000)).toBe(true);
    // An expired lease (its holder died) is free.
    expect(await consumers.acquireSubscription(id, 2, second, 0, 60_000)).toBe(true);
    expect(await consumers.acquireSubscription(id, 2, third, 10_000, 60_000)).toBe(true);
    // Deregistering drops the consumer's leases: holders find out at their next renewal.
    await consumers.markDeleting(id, new Date(now.getTime() + 500));
    expect(await consumers.renewSubscription(first, 10_000)).toBe(false);
  });
});
