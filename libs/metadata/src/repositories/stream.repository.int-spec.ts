import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { dropDatabase, scratchDatabaseUrl, testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { createDataSource, openMetadata } from '../data-source';
import { ShardlineError } from '@shardline/protocol';
import { evenShards, newStream } from '../testing/stream-fixture';
import { StreamRepository } from './stream.repository';

const SECOND = 1000;

describe('StreamRepository', () => {
  let dataSource: DataSource;
  let now: Date;
  let repo: StreamRepository;

  beforeAll(async () => {
    dataSource = await createDataSource(testDatabaseUrl()).initialize();
  });
  afterAll(() => dataSource.destroy());
  beforeEach(() => {
    now = new Date();
    repo = new StreamRepository(dataSource, () => now);
  });

  it('creates a stream and finds it by name, ARN and id with its shards in order', async () => {
    const name = randomName();
    const created = await repo.create(newStream(name, { shards: evenShards(3), tags: [{ key: 'team', value: 'a' }] }));
    expect(created).toMatchObject({ name, mode: 'PROVISIONED', retentionHours: 24, status: 'ACTIVE', encryptionType: 'NONE' });
    expect(created.shards.map((shard) => shard.shardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    expect(created.shards[2]!.hashKeyEnd).toBe(2n ** 128n - 1n);
    expect(await repo.findByName(name)).toEqual(created);
    expect(await repo.findByArn(created.arn)).toEqual(created);
    expect(await repo.findById(created.id)).toEqual(created);
    expect(await repo.findByName(randomName())).toBeUndefined();
  });

  it('holds a stream for one update at a time, reading UPDATING until the hold ends', async () => {
    const stream = await repo.create(newStream(randomName(), { readyAt: new Date(now.getTime() - SECOND) }));
    expect(await repo.beginUpdate(stream.id, new Date(now.getTime() + 30 * SECOND))).toBe(true);
    expect(await repo.beginUpdate(stream.id, new Date(now.getTime() + 30 * SECOND))).toBe(false);
    expect((await repo.findById(stream.id))!.status).toBe('UPDATING');
    await repo.endUpdate(stream.id, new Date(now.getTime() + SECOND));
    expect((await repo.findById(stream.id))!.status).toBe('UPDATING');
    now = new Date(now.getTime() + SECOND);
    expect((await repo.findById(stream.id))!.status).toBe('ACTIVE');
    expect(await repo.beginUpdate(stream.id, new Date(now.getTime() + SECOND))).toBe(true);
  });

  it('stores a reshard at once: parents CLOSED at their ending numbers, children with lineage', async () => {
    const stream = await repo.create(newStream(randomName()));
    await repo.beginUpdate(stream.id, new Date(now.getTime() + 30 * SECOND));
    const [a, b] = stream.shards;
    const child = { index: 2, shardId: 'shardId-000000000002', hashKeyStart: a!.hashKeyStart, hashKeyEnd: b!.hashKeyEnd, startingSequenceNumber: '2' };
    await repo.reshard(stream.id, {
      close: [{ index: 0, endingSequenceNumber: '10' }, { index: 1, endingSequenceNumber: '11' }],
      create: [{ ...child, parentShardId: a!.shardId, adjacentParentShardId: b!.shardId }],
      scalingOperation: true,
    });
    const after = (await repo.findById(stream.id))!;
    expect(after.shards.map((s) => [s.status, s.endingSequenceNumber, s.parentShardId, s.adjacentParentShardId])).toEqual([
      ['CLOSED', '10', undefined, undefined],
      ['CLOSED', '11', undefined, undefined],
      ['OPEN', undefined, a!.shardId, b!.shardId],
    ]);
    expect(after.shards[0]!.closedAt).toEqual(now);
    expect(await repo.countScalingOperations(stream.id, new Date(now.getTime() - SECOND))).toBe(1);
    expect(await repo.countScalingOperations(stream.id, now)).toBe(0);

    // a parent that is no longer open, or a hold that expired, stores nothing
    const again = { close: [{ index: 0, endingSequenceNumber: '12' }], create: [{ ...child, index: 3, shardId: 'shardId-000000000003', parentShardId: a!.shardId }] };
    await expect(repo.reshard(stream.id, again)).rejects.toBeInstanceOf(ShardlineError);
    now = new Date(now.getTime() + 31 * SECOND);
    await expect(repo.reshard(stream.id, { close: [], create: again.create })).rejects.toBeInstanceOf(ShardlineError);
    expect((await repo.findById(stream.id))!.shards).toHaveLength(3);
  });

  it('keeps the id it is given', async () => {
    const id = randomUUID();
    const created = await repo.create(newStream(randomName(), { id }));
    expect(created.id).toBe(id);
  });

  it('rejects a duplicate name with ResourceInUseException and stores nothing of it', async () => {
    const name = randomName();
    await repo.create(newStream(name));
    const duplicate = repo.create(newStream(name, { shards: evenShards(5) }));
    await expect(duplicate).rejects.toBeInstanceOf(ShardlineError);
    await expect(duplicate).rejects.toMatchObject({
      type: 'ResourceInUseException',
      message: `Stream ${name} under account 000000000000 already exists.`,
    });
    expect((await repo.findByName(name))!.shards).toHaveLength(2);
  });

  it('lets exactly one of two concurrent creates of a name win', async () => {
    const name = randomName();
    const results = await Promise.allSettled([repo.create(newStream(name)), repo.create(newStream(name))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { type: 'ResourceInUseException' } });
  });

  it('derives CREATING, ACTIVE and DELETING from the clock', async () => {
    const name = randomName();
    const created = await repo.create(newStream(name, { readyAt: new Date(now.getTime() + 10 * SECOND) }));
    expect(created.status).toBe('CREATING');
    now = new Date(now.getTime() + 10 * SECOND);
    expect((await repo.findByName(name))!.status).toBe('ACTIVE');
    expect(await repo.markDeleting(created.id, new Date(now.getTime() + 5 * SECOND))).toBe(true);
    expect(await repo.markDeleting(created.id, new Date(now.getTime() + 5 * SECOND))).toBe(false);
    expect((await repo.findByName(name))!.status).toBe('DELETING');
    now = new Date(now.getTime() + 5 * SECOND);
    expect(await repo.findByName(name)).toBeUndefined();
    expect(await repo.findById(created.id)).toBeUndefined();
    expect(await repo.findByArn(created.arn)).toBeUndefined();
  });

  it('refuses a name while its stream is DELETING, and reuses it once the stream is gone', async () => {
    const name = randomName();
    const first = await repo.create(newStream(name));
    await repo.markDeleting(first.id, new Date(now.getTime() + SECOND));
    await expect(repo.create(newStream(name))).rejects.toMatchObject({ type: 'ResourceInUseException' });
    now = new Date(now.getTime() + SECOND);
    const second = await repo.create(newStream(name));
    expect(second.id).not.toBe(first.id);
    expect((await repo.findByName(name))!.id).toBe(second.id);
  });

  it('lists live streams by name, page by page', async () => {
    const prefix = randomName();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((suffix) => `${prefix}-${suffix}`);
    for (const name of [c!, a!, d!, b!]) await repo.create(newStream(name));
    const gone = await repo.findByName(d!);
    await repo.markDeleting(gone!.id, now);

    const first = await repo.list({ limit: 2, exclusiveStartName: prefix });
    expect(first.streams.map((s) => s.name)).toEqual([a, b]);
    expect(first.hasMore).toBe(true);
    expect(first.streams[0]!.shards).toHaveLength(2);
    const second = await repo.list({ limit: 2, exclusiveStartName: b });
    expect(second.streams.map((s) => s.name).slice(0, 1)).toEqual([c]);
    expect(second.streams.map((s) => s.name)).not.toContain(d);
  });

  it('updates retention', async () => {
    const created = await repo.create(newStream(randomName()));
    await repo.setRetention(created.id, 168);
    expect((await repo.findById(created.id))!.retentionHours).toBe(168);
    await expect(repo.setRetention(created.id, 9000)).rejects.toThrow(/streams_retention_hours_chk/);
  });

  it('adds (upserting), lists, counts and removes tags', async () => {
    const created = await repo.create(newStream(randomName(), { tags: [{ key: 'b', value: '1' }] }));
    await repo.addTags(created.id, [{ key: 'a' }, { key: 'b', value: '2' }, { key: 'c', value: 'x' }, { key: 'c', value: 'y' }]);
    expect(await repo.listTags(created.id)).toEqual([{ key: 'a' }, { key: 'b', value: '2' }, { key: 'c', value: 'y' }]);
    expect(await repo.countTags(created.id)).toBe(3);
    await repo.removeTags(created.id, ['a', 'missing']);
    await repo.removeTags(created.id, []);
    expect(await repo.listTags(created.id)).toEqual([{ key: 'b', value: '2' }, { key: 'c', value: 'y' }]);
  });
});

// Shard counts and purges span the whole database, so they get one of their own.
describe('StreamRepository on a database of its own', () => {
  const url = scratchDatabaseUrl(randomName('shardline_streams'));
  let dataSource: DataSource;
  let now: Date;
  let repo: StreamRepository;

  beforeAll(async () => {
    dataSource = await openMetadata(url);
    now = new Date();
    repo = new StreamRepository(dataSource, () => now);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(url);
  });

  it('counts open shards of live streams only', async () => {
    const kept = await repo.create(newStream(randomName(), { shards: evenShards(3) }));
    const deleted = await repo.create(newStream(randomName(), { shards: evenShards(4) }));
    expect(await repo.countOpenShards()).toBe(7);
    await repo.markDeleting(deleted.id, new Date(now.getTime() + SECOND));
    expect(await repo.countOpenShards()).toBe(3);
    await dataSource.query(`UPDATE shards SET status = 'CLOSED' WHERE stream_id = $1 AND shard_index = 0`, [kept.id]);
    expect(await repo.countOpenShards()).toBe(2);
  });

  it('purges gone streams with their shards and tags, and returns them', async () => {
    const gone = await repo.create(newStream(randomName(), { tags: [{ key: 'k', value: 'v' }] }));
    const deleting = await repo.create(newStream(randomName()));
    await repo.markDeleting(gone.id, now);
    await repo.markDeleting(deleting.id, new Date(now.getTime() + 60 * SECOND));

    const purged = await repo.purgeGone();
    expect(purged.map((s) => s.id)).toContain(gone.id);
    expect(purged.map((s) => s.id)).not.toContain(deleting.id);
    expect(purged.find((s) => s.id === gone.id)!.shards).toHaveLength(2);
    const [{ count }] = await dataSource.query('SELECT count(*)::int AS count FROM stream_tags WHERE stream_id = $1', [gone.id]);
    expect(count).toBe(0);
    expect(await repo.purgeGone()).toEqual([]);
  });

  it('keeps a gone stream for purgeGone even after its name was reused', async () => {
    const name = randomName();
    const first = await repo.create(newStream(name));
    await repo.markDeleting(first.id, now);
    const second = await repo.create(newStream(name));
    expect((await repo.purgeGone()).map((s) => s.id)).toEqual([first.id]);
    expect((await repo.findByName(name))!.id).toBe(second.id);
  });
});
