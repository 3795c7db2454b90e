import type { DataSource } from 'typeorm';
import { dropDatabase, scratchDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { openMetadata } from '../data-source';
import { evenShards, newStream } from '../testing/stream-fixture';
import { LeaseRepository } from './lease.repository';
import { StreamRepository } from './stream.repository';

const TTL = 60_000;
// A lease claimed with a TTL of zero has already expired: takeovers without waiting on timers.
const EXPIRED = 0;

// assignableShards() and leases() span the whole database, so this file gets one of its own.
describe('LeaseRepository', () => {
  const url = scratchDatabaseUrl(randomName('shardline_leases'));
  let dataSource: DataSource;
  let leases: LeaseRepository;
  let streams: StreamRepository;

  beforeAll(async () => {
    dataSource = await openMetadata(url);
    leases = new LeaseRepository(dataSource);
    streams = new StreamRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(url);
  });

  it('tracks live owners by heartbeat', async () => {
    const [alive, dead] = [randomName('owner'), randomName('owner')];
    await leases.heartbeat(alive, TTL);
    await leases.heartbeat(dead, TTL);
    await leases.heartbeat(dead, EXPIRED);
    expect(await leases.liveOwners()).toContain(alive);
    expect(await leases.liveOwners()).not.toContain(dead);
    await leases.removeOwner(alive);
    expect(await leases.liveOwners()).not.toContain(alive);
  });

  it('offers the open shards of streams that are not being deleted', async () => {
    const live = await streams.create(newStream(randomName(), { shards: evenShards(3) }));
    const deleting = await streams.create(newStream(randomName()));
    await streams.markDeleting(deleting.id, new Date(Date.now() + TTL));
    await dataSource.query(`UPDATE shards SET status = 'CLOSED' WHERE stream_id = $1 AND shard_index = 1`, [live.id]);

    const offered = await leases.assignableShards();
    expect(offered.filter((s) => s.streamId === live.id)).toEqual([
      { streamId: live.id, shardIndex: 0, shardId: 'shardId-000000000000' },
      { streamId: live.id, shardIndex: 2, shardId: 'shardId-000000000002' },
    ]);
    expect(offered.filter((s) => s.streamId === deleting.id)).toEqual([]);
  });

  it('claims a free shard, refuses it to others while live, and hands it over once expired', async () => {
    const { id } = await streams.create(newStream(randomName()));
    const [a, b] = [randomName('owner'), randomName('owner')];
    expect(await leases.tryClaim(id, 0, a, TTL)).toEqual({ epoch: 1 });
    expect(await leases.tryClaim(id, 0, b, TTL)).toBeUndefined();
    expect(await leases.tryClaim(id, 0, a, TTL)).toEqual({ epoch: 1 });

    expect(await leases.tryClaim(id, 0, a, EXPIRED)).toEqual({ epoch: 1 });
    expect(await leases.tryClaim(id, 0, b, TTL)).toEqual({ epoch: 2 });
    const lease = (await leases.leases()).find((l) => l.streamId === id && l.shardIndex === 0);
    expect(lease).toMatchObject({ owner: b, epoch: 2 });
    expect(lease!.expiresAt.getTime()).toBeGreaterThan(Date.now() + TTL / 2);
  });

  it('raises the epoch when an owner re-claims its own expired lease', async () => {
    const { id } = await streams.create(newStream(randomName()));
    const owner = randomName('owner');
    await leases.tryClaim(id, 1, owner, EXPIRED);
    expect(await leases.tryClaim(id, 1, owner, TTL)).toEqual({ epoch: 2 });
  });

  it('answers undefined for a shard that does not exist', async () => {
    const { id } = await streams.create(newStream(randomName()));
    expect(await leases.tryClaim(id, 99, randomName('owner'), TTL)).toBeUndefined();
  });

  it('lets exactly one of many owners racing for a shard win', async () => {
    const { id } = await streams.create(newStream(randomName()));
    const owners = Array.from({ length: 8 }, () => randomName('owner'));
    const results = await Promise.all(owners.map((owner) => leases.tryClaim(id, 0, owner, TTL)));
    expect(results.filter((r) => r !== undefined)).toEqual([{ epoch: 1 }]);

    // The same race over an expired lease: one takeover, one epoch bump.
    const winner = owners[results.findIndex((r) => r !== undefined)]!;
    await leases.tryClaim(id, 0, winner, EXPIRED);
    const takeovers = await Promise.all(owners.map((owner) => leases.tryClaim(id, 0, owner, TTL)));
    expect(takeovers.filter((r) => r !== undefined)).toEqual([{ epoch: 2 }]);
  });

  it("renews only the owner's live leases", async () => {
    const { id } = await streams.create(newStream(randomName(), { shards: evenShards(3) }));
    const [a, b] = [randomName('owner'), randomName('owner')];
    await leases.tryClaim(id, 0, a, TTL);
    await leases.tryClaim(id, 1, a, EXPIRED);
    await leases.tryClaim(id, 2, b, TTL);
    expect(await leases.renew(a, TTL)).toEqual([{ streamId: id, shardIndex: 0, epoch: 1 }]);
    expect(await leases.renew(randomName('owner'), TTL)).toEqual([]);
  });

  it('releases one lease or all of them, keeping the epoch for the next owner', async () => {
    const { id } = await streams.create(newStream(randomName(), { shards: evenShards(3) }));
    const [a, b] = [randomName('owner'), randomName('owner')];
    for (const index of [0, 1, 2]) await leases.tryClaim(id, index, a, TTL);

    await leases.release(id, 0, b);
    expect(await leases.tryClaim(id, 0, b, TTL)).toBeUndefined();
    await leases.release(id, 0, a);
    expect(await leases.tryClaim(id, 0, b, TTL)).toEqual({ epoch: 2 });

    await leases.releaseAll(a);
    expect(await leases.renew(a, TTL)).toEqual([]);
    expect(await leases.tryClaim(id, 2, b, TTL)).toEqual({ epoch: 2 });
  });

  it('drops the leases of a purged stream', async () => {
    const { id } = await streams.create(newStream(randomName()));
    await leases.tryClaim(id, 0, randomName('owner'), TTL);
    await streams.markDeleting(id, new Date(0));
    await streams.purgeGone();
    expect((await leases.leases()).filter((l) => l.streamId === id)).toEqual([]);
  });
});
