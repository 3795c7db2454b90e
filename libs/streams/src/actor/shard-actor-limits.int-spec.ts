import { decodeMessage, encodeRecordBatches, type ShardAddress } from '@shardline/messaging';
import { ShardStoreFixture, sampleRecords } from '../../../../test/support/shard-store';
import type { RateLimit } from '../limits/rate-window';
import { ShardActor } from './shard-actor';

/** The write limit in the shard actor, against JetStream, on a hand-driven clock. */
describe('ShardActor write limit', () => {
  let fixture: ShardStoreFixture;
  const actors: ShardActor[] = [];
  const clock = { now: 1_000_000 };

  beforeAll(async () => {
    fixture = await ShardStoreFixture.open();
  });
  afterAll(async () => {
    await Promise.all(actors.map((a) => a.stop()));
    await fixture.close();
  });

  async function startActor(shard: ShardAddress, limit: RateLimit) {
    const actor = new ShardActor(fixture.store, shard, () => clock.now, undefined, limit);
    actors.push(actor);
    await actor.start(24);
    return actor;
  }

  const append = (actor: ShardActor, count: number, from = 0, limit = 64 * 1024) =>
    actor.append(encodeRecordBatches(sampleRecords(count, from), limit).map((m) => m.payload));

  async function storedRecords(shard: ShardAddress): Promise<string[]> {
    const { lastSeq } = await fixture.store.bounds(shard);
    const out: string[] = [];
    for (const message of await fixture.store.getRange(shard, 1, lastSeq)) {
      const decoded = decodeMessage(message.payload);
      if (decoded.kind === 'records') out.push(...decoded.records.map((r) => r.data.toString()));
    }
    return out;
  }

  it('admits a prefix of a batch up to the records per second, and writes nothing of the rest', async () => {
    const shard = fixture.shard();
    const actor = await startActor(shard, { count: 10, bytes: 1e6 });
    expect(await append(actor, 6, 0)).toEqual({ seqs: [1] });
    clock.now += 500;
    expect(await append(actor, 6, 6)).toEqual({ seqs: [2], admitted: 4 });
    expect(await append(actor, 3, 12)).toEqual({ seqs: [], admitted: 0 });
    // A second after the first batch its 6 records leave the window; the 4 of the second stay.
    clock.now += 500;
    expect(await append(actor, 7, 20)).toEqual({ seqs: [3], admitted: 6 });
    expect(await storedRecords(shard)).toEqual([
      ...sampleRecords(10).map((r) => r.data.toString()),
      ...sampleRecords(6, 20).map((r) => r.data.toString()),
    ]);
  });

  it('limits bytes (partition keys + data), and admits a large record in parts whole or not at all', async () => {
    const shard = fixture.shard();
    const actor = await startActor(shard, { count: 1000, bytes: 3000 });
    const big = [{ partitionKey: 'k', data: Buffer.alloc(2000, 1) }];
    const parts = encodeRecordBatches(big, 800).map((m) => m.payload);
    expect(parts.length).toBeGreaterThan(1);
    expect((await actor.append(parts)).seqs).toHaveLength(parts.length);
    expect(await actor.append(encodeRecordBatches(big, 800).map((m) => m.payload))).toEqual({ seqs: [], admitted: 0 });
    // 999 bytes are left: records 'key-1nn' (7) + 'data-1nn' (8) = 15 bytes each, 66 of them fit.
    expect((await append(actor, 100, 100)).admitted).toBe(66);
  });

  it('seeds a new owner from what is stored, so moving the shard does not reset its allowance', async () => {
    const shard = fixture.shard();
    const first = await startActor(shard, { count: 10, bytes: 1e6 });
    await append(first, 4, 0);
    clock.now += 300;
    await append(first, 4, 4, 40); // one message per record
    await first.stop();

    clock.now += 100;
    const second = await startActor(shard, { count: 10, bytes: 1e6 });
    expect(await append(second, 5, 100)).toMatchObject({ admitted: 2 });
    // When the first batch leaves the window (1 s after it), its 4 records are free again.
    clock.now += 601;
    expect(await append(second, 5, 200)).toMatchObject({ admitted: 4 });
    // Arrival stamps stayed monotonic across the owners.
    const stamps = (await fixture.store.getRange(shard, 1, 20)).map((m) => messageTime(m.payload));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
  });

  it('writes everything when it has no limit', async () => {
    const shard = fixture.shard();
    const actor = new ShardActor(fixture.store, shard, () => clock.now);
    actors.push(actor);
    await actor.start(24);
    expect(await append(actor, 5000, 0, 1024 * 1024)).toEqual({ seqs: [1] });
  });
});

function messageTime(payload: Uint8Array): number {
  const decoded = decodeMessage(payload);
  return decoded.kind === 'records' ? decoded.timestamp : 0;
}
