import { shardStreamName, type ShardAddress } from '@shardline/messaging';
import { ShardStoreFixture, appendRecords, sampleRecords } from '../../../../test/support/shard-store';
import { ShardActor } from '../actor/shard-actor';
import { positionAtTimestamp } from './shard-positions';

const T0 = Date.UTC(2024, 0, 1);
const SMALL_LIMIT = 64 * 1024;

describe('positionAtTimestamp on JetStream', () => {
  let fixture: ShardStoreFixture;
  const actors: ShardActor[] = [];

  beforeAll(async () => {
    fixture = await ShardStoreFixture.open();
  });
  afterAll(async () => {
    await Promise.all(actors.map((a) => a.stop()));
    await fixture.close();
  });

  /** A shard written one message per entry of `times`, each stamped by the actor's clock at that time. */
  async function shardStampedAt(times: number[]): Promise<ShardAddress> {
    const shard = fixture.shard();
    const clock = { now: T0 };
    const actor = new ShardActor(fixture.store, shard, () => clock.now);
    actors.push(actor);
    await actor.start(24);
    for (const [i, time] of times.entries()) {
      clock.now = time;
      await appendRecords(actor, sampleRecords(2, i * 2));
    }
    return shard;
  }

  const at = (shard: ShardAddress, time: number) => positionAtTimestamp(fixture.store, shard, time);

  it('answers the first message stamped at or after the time', async () => {
    // Sequences 1..10 stamped T0+0, +100, ..., +900.
    const shard = await shardStampedAt(Array.from({ length: 10 }, (_, i) => T0 + i * 100));
    expect(await at(shard, T0)).toEqual({ seq: 1, index: 0 });
    expect(await at(shard, T0 - 60_000)).toEqual({ seq: 1, index: 0 });
    expect(await at(shard, T0 + 1)).toEqual({ seq: 2, index: 0 });
    expect(await at(shard, T0 + 500)).toEqual({ seq: 6, index: 0 });
    expect(await at(shard, T0 + 899)).toEqual({ seq: 10, index: 0 });
    expect(await at(shard, T0 + 900)).toEqual({ seq: 10, index: 0 });
  });

  it('answers the tip for a time after the newest message', async () => {
    const shard = await shardStampedAt([T0, T0 + 10, T0 + 20]);
    expect(await at(shard, T0 + 21)).toEqual({ seq: 4, index: 0 });
    expect(await at(shard, T0 + 86_400_000)).toEqual({ seq: 4, index: 0 });
  });

  it('answers the first of several messages stamped at the same time', async () => {
    const shard = await shardStampedAt([T0, T0 + 50, T0 + 50, T0 + 50, T0 + 50, T0 + 80]);
    expect(await at(shard, T0 + 50)).toEqual({ seq: 2, index: 0 });
    expect(await at(shard, T0 + 51)).toEqual({ seq: 6, index: 0 });
  });

  it('uses the stamp a clock going backwards could not lower', async () => {
    const shard = await shardStampedAt([T0 + 100, T0 + 50, T0 + 200]);
    expect(await at(shard, T0 + 60)).toEqual({ seq: 1, index: 0 });
    expect(await at(shard, T0 + 101)).toEqual({ seq: 3, index: 0 });
  });

  it('answers the oldest message left after retention trimmed the shard', async () => {
    const shard = await shardStampedAt([T0, T0 + 10, T0 + 20, T0 + 30]);
    const jsm = await fixture.nc.jetstreamManager();
    await jsm.streams.purge(shardStreamName(shard.streamId, shard.shardIndex), { seq: 3 });
    expect(await at(shard, T0)).toEqual({ seq: 3, index: 0 });
    expect(await at(shard, T0 + 25)).toEqual({ seq: 4, index: 0 });
    expect(await at(shard, T0 + 31)).toEqual({ seq: 5, index: 0 });
  });

  it('answers the tip of an empty shard', async () => {
    const shard = await shardStampedAt([]);
    expect(await at(shard, T0)).toEqual({ seq: 1, index: 0 });
  });

  it('answers the first part of a large record, never a later part', async () => {
    const shard = fixture.shard();
    const clock = { now: T0 };
    const actor = new ShardActor(fixture.store, shard, () => clock.now);
    actors.push(actor);
    await actor.start(24);
    await appendRecords(actor, sampleRecords(1), SMALL_LIMIT);
    clock.now = T0 + 100;
    const parts = await appendRecords(actor, [{ partitionKey: 'big', data: Buffer.alloc(3 * SMALL_LIMIT) }], SMALL_LIMIT);
    clock.now = T0 + 200;
    await appendRecords(actor, sampleRecords(1, 1), SMALL_LIMIT);

    expect(parts).toEqual([2, 3, 4, 5]);
    expect(await at(shard, T0 + 1)).toEqual({ seq: 2, index: 0 });
    expect(await at(shard, T0 + 100)).toEqual({ seq: 2, index: 0 });
    expect(await at(shard, T0 + 101)).toEqual({ seq: 6, index: 0 });
  });
});
