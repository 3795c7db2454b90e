import type { DataSource } from 'typeorm';
import { testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { openMetadata } from '../data-source';
import { newStream } from '../testing/stream-fixture';
import { GroupRepository } from './group.repository';
import { StreamRepository } from './stream.repository';

const TTL = 60_000;
const SEQ = (n: number) => `4${'0'.repeat(12)}${String(n).padStart(20, '0')}0000000`;

describe('GroupRepository', () => {
  let dataSource: DataSource;
  let groups: GroupRepository;
  let streams: StreamRepository;

  beforeAll(async () => {
    dataSource = await openMetadata(testDatabaseUrl());
    groups = new GroupRepository(dataSource);
    streams = new StreamRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
  });

  const newGroup = async () => {
    const stream = await streams.create(newStream(randomName()));
    return groups.ensureGroup(stream.id, 'g');
  };

  it('creates a group once per stream and name', async () => {
    const group = await newGroup();
    expect(await groups.ensureGroup(group.streamId, 'g')).toEqual(group);
    expect(await groups.findGroup(group.streamId, 'other')).toBeUndefined();
    expect((await groups.groupsOf(group.streamId)).map((g) => g.name)).toEqual(['g']);
  });

  it('keeps members alive by heartbeat and removes the silent ones', async () => {
    const group = await newGroup();
    const [alive, silent] = [randomName('m'), randomName('m')];
    expect(await groups.join(group.id, alive, TTL)).toBe(true);
    expect(await groups.join(group.id, silent, 0)).toBe(true);
    expect(await groups.heartbeat(alive, TTL)).toBe(group.id);
    expect(await groups.heartbeat(silent, TTL)).toBeUndefined(); // expired: it must join again
    expect(await groups.removeExpired(group.id)).toEqual([silent]);
    expect((await groups.members(group.id)).map((m) => [m.id, m.live])).toEqual([[alive, true]]);
    const other = await newGroup();
    expect(await groups.join(other.id, alive, TTL)).toBe(false); // an id belongs to one group
  });

  it('accepts checkpoints only from the live holder at the current epoch', async () => {
    const group = await newGroup();
    const [a, b] = [randomName('m'), randomName('m')];
    await groups.join(group.id, a, TTL);
    await groups.join(group.id, b, TTL);
    await groups.setLease(group.id, 0, a);
    expect(await groups.leases(group.id)).toEqual([{ shardIndex: 0, memberId: a, epoch: 1, ready: true }]);
    expect(await groups.checkpoint(group.id, 0, a, 1, SEQ(1), false)).toBe(true);
    await groups.setLease(group.id, 0, a); // unchanged holder: same epoch
    await groups.setLease(group.id, 0, b, TTL); // a handoff: b reads once a has had time to stop
    expect(await groups.leases(group.id)).toEqual([{ shardIndex: 0, memberId: b, epoch: 2, ready: false }]);
    expect(await groups.checkpoint(group.id, 0, a, 1, SEQ(5), false)).toBe(false);
    expect(await groups.checkpoint(group.id, 0, b, 1, SEQ(5), false)).toBe(false);
    expect(await groups.checkpoint(group.id, 0, b, 2, SEQ(7), true)).toBe(true);
    expect(await groups.checkpoints(group.id)).toEqual([
      { shardIndex: 0, sequenceNumber: SEQ(7), shardEnd: true, updatedAt: expect.any(Date) },
    ]);
    // A member that left keeps no lease; the row (and its epoch) stays for the next holder.
    await groups.leave(b);
    expect(await groups.leases(group.id)).toEqual([{ shardIndex: 0, memberId: undefined, epoch: 2, ready: false }]);
    expect(await groups.checkpoint(group.id, 0, b, 2, SEQ(8), false)).toBe(false);
    await groups.setLease(group.id, 0, a);
    expect(await groups.leases(group.id)).toEqual([{ shardIndex: 0, memberId: a, epoch: 3, ready: true }]);
  });

  it('serialises work on one group under its advisory lock', async () => {
    const group = await newGroup();
    const order: string[] = [];
    const slow = groups.locked(group.id, async () => {
      order.push('first in');
      await new Promise((resolve) => setTimeout(resolve, 200));
      order.push('first out');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await groups.locked(group.id, async () => {
      order.push('second');
    });
    await slow;
    expect(order).toEqual(['first in', 'first out', 'second']);
  });

  it('goes with its stream', async () => {
    const group = await newGroup();
    await dataSource.query('DELETE FROM streams WHERE id = $1', [group.streamId]);
    expect(await groups.groupById(group.id)).toBeUndefined();
  });
});
