import { decodeMessage, type ShardAddress } from '@shardline/messaging';
import { expectRejectsWith } from '../../../../test/support/errors';
import { ShardStoreFixture, appendRecords, sampleRecords } from '../../../../test/support/shard-store';
import { ShardReader } from '../data/shard-reader';
import { ShardActor } from './shard-actor';

describe('ShardActor on JetStream', () => {
  let fixture: ShardStoreFixture;
  const actors: ShardActor[] = [];

  beforeAll(async () => {
    fixture = await ShardStoreFixture.open();
  });
  afterAll(async () => {
    await Promise.all(actors.map((a) => a.stop()));
    await fixture.close();
  });

  async function startActor(shard: ShardAddress, options: { now?: () => number; onFenced?: (a: ShardActor) => void } = {}) {
    const actor = new ShardActor(fixture.store, shard, options.now, options.onFenced);
    actors.push(actor);
    await actor.start(24);
    return actor;
  }

  async function storedText(shard: ShardAddress, seq: number): Promise<string> {
    const decoded = decodeMessage((await fixture.store.get(shard, seq))!.payload);
    if (decoded.kind !== 'records') throw new Error('expected a records message');
    return decoded.records.map((r) => r.data.toString()).join(',');
  }

  it('creates its shard on start and runs', async () => {
    const shard = fixture.shard();
    const actor = await startActor(shard);
    expect(actor.status).toBe('running');
    expect(await fixture.store.bounds(shard)).toMatchObject({ lastSeq: 0 });
  });

  it('gives concurrent callers distinct, consecutive sequences in call order', async () => {
    const shard = fixture.shard();
    const actor = await startActor(shard);
    const calls = Array.from({ length: 60 }, (_, i) => sampleRecords(1 + (i % 3), i * 10));
    const messagesPerCall = calls.map((records) => records.length);
    // Several records per call, one message each (a tiny limit), to check multi-message appends.
    const results = await Promise.all(calls.map((records) => appendRecords(actor, records, 40)));

    results.forEach((seqs, i) => expect(seqs).toHaveLength(messagesPerCall[i]));
    const all = results.flat();
    expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    expect(await storedText(shard, results[7][0])).toBe(calls[7][0].data.toString());
    expect(await storedText(shard, all.length)).toBe(calls[59].at(-1)!.data.toString());
  });

  it('keeps the newest messages it stored, byte for byte, so readers at the tip skip JetStream', async () => {
    const shard = fixture.shard();
    const actor = await startActor(shard);
    const seqs = (await Promise.all([appendRecords(actor, sampleRecords(3, 0), 40), appendRecords(actor, sampleRecords(2, 50), 40)])).flat();
    for (const seq of seqs) expect(Buffer.from(actor.recent(seq)!)).toEqual(Buffer.from((await fixture.store.get(shard, seq))!.payload));
    expect(actor.recent(seqs.at(-1)! + 1)).toBeUndefined();

    const cold = new ShardReader(fixture.store);
    const warm = new ShardReader(fixture.store, () => actor.lastSequence, undefined, (_shard, seq) => actor.recent(seq));
    const getRange = jest.spyOn(fixture.store, 'getRange');
    const fromCache = await warm.read(shard, { seq: seqs[0]!, index: 0 }, 100);
    expect(getRange).not.toHaveBeenCalled();
    getRange.mockRestore();
    expect(fromCache).toEqual(await cold.read(shard, { seq: seqs[0]!, index: 0 }, 100));
    expect(fromCache.records).toHaveLength(5);
  });

  it('continues after the sequence already in the shard when it starts', async () => {
    const shard = fixture.shard();
    const first = await startActor(shard);
    await appendRecords(first, sampleRecords(3), 40);
    await first.stop();
    const second = await startActor(shard);
    expect(await appendRecords(second, sampleRecords(1))).toEqual([4]);
  });

  it('stamps arrival times that never go backwards, even when the clock does', async () => {
    const shard = fixture.shard();
    const ticks = [5_000, 4_000, 6_000, 6_000, 1_000, 7_000];
    let tick = 0;
    const actor = await startActor(shard, { now: () => ticks[Math.min(tick++, ticks.length - 1)] });
    for (let i = 0; i < ticks.length; i++) await appendRecords(actor, sampleRecords(1, i));

    const stamps: number[] = [];
    for (let seq = 1; seq <= ticks.length; seq++) {
      const decoded = decodeMessage((await fixture.store.get(shard, seq))!.payload);
      if (decoded.kind === 'records') stamps.push(decoded.timestamp);
    }
    expect(stamps).toEqual([5_000, 5_000, 6_000, 6_000, 6_000, 7_000]);
  });

  it('is fenced when a second actor writes the same shard: its next append fails as ServiceUnavailable', async () => {
    const shard = fixture.shard();
    const fenced = jest.fn();
    const first = await startActor(shard, { onFenced: fenced });
    await appendRecords(first, sampleRecords(2), 40);
    const second = await startActor(shard);
    expect(await appendRecords(second, sampleRecords(1, 100))).toEqual([3]);

    const err = await expectRejectsWith(appendRecords(first, sampleRecords(1, 200)), 'ServiceUnavailable');
    expect(err.retriable).toBe(true);
    expect(first.status).toBe('fenced');
    expect(fenced).toHaveBeenCalledTimes(1);
    expect(fenced).toHaveBeenCalledWith(first);
    await expectRejectsWith(appendRecords(first, sampleRecords(1, 300)), 'ServiceUnavailable');

    expect(await appendRecords(second, sampleRecords(1, 400))).toEqual([4]);
    expect(await fixture.store.bounds(shard)).toMatchObject({ lastSeq: 4 });
    expect(await storedText(shard, 4)).toBe('data-400');
  });

  it('is fenced on a new, empty shard too, where both actors expect sequence 0', async () => {
    const shard = fixture.shard();
    const fenced = jest.fn();
    const first = await startActor(shard, { onFenced: fenced });
    const second = await startActor(shard);
    expect(await appendRecords(second, sampleRecords(1))).toEqual([1]);
    await expectRejectsWith(appendRecords(first, sampleRecords(1, 10)), 'ServiceUnavailable');
    expect(first.status).toBe('fenced');
    expect(fenced).toHaveBeenCalledWith(first);
    expect(await fixture.store.bounds(shard)).toMatchObject({ lastSeq: 1 });
  });

  it('fails every append queued behind the one that found it fenced', async () => {
    const shard = fixture.shard();
    const first = await startActor(shard);
    const second = await startActor(shard);
    await appendRecords(second, sampleRecords(1));
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => appendRecords(first, sampleRecords(1, i))));
    expect(outcomes.map((o) => o.status)).toEqual(Array(5).fill('rejected'));
    expect(await fixture.store.bounds(shard)).toMatchObject({ lastSeq: 1 });
  });

  it('survives a message the server refuses: later appends of that drain fail retriably, then it writes on', async () => {
    const shard = fixture.shard();
    const actor = await startActor(shard);
    const tooLarge = Buffer.alloc((fixture.nc.info?.max_payload ?? 1024 * 1024) + 1);
    const before = appendRecords(actor, sampleRecords(1, 1));
    const refused = actor.append([tooLarge]);
    const behind = appendRecords(actor, sampleRecords(1, 2));

    expect(await before).toEqual([1]);
    expect((await refused.catch((e: unknown) => e)) as Error).toBeInstanceOf(Error);
    const err = await expectRejectsWith(behind, 'ServiceUnavailable');
    expect(err.retriable).toBe(true);
    expect(actor.status).toBe('running');
    expect(await appendRecords(actor, sampleRecords(1, 3))).toEqual([2]);
    expect(await storedText(shard, 2)).toBe('data-3');
  });

  it('drains queued appends on stop, then refuses new ones', async () => {
    const shard = fixture.shard();
    const actor = await startActor(shard);
    const pending = Array.from({ length: 20 }, (_, i) => appendRecords(actor, sampleRecords(1, i)));
    const stopped = actor.stop();
    await expectRejectsWith(appendRecords(actor, sampleRecords(1, 99)), 'ServiceUnavailable');
    await stopped;
    expect((await Promise.all(pending)).flat()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(actor.status).toBe('stopped');
    expect(await fixture.store.bounds(shard)).toMatchObject({ lastSeq: 20 });
    await expectRejectsWith(appendRecords(actor, sampleRecords(1, 100)), 'ServiceUnavailable');
  });

  it('refuses appends before it is started', async () => {
    const actor = new ShardActor(fixture.store, fixture.shard());
    await expectRejectsWith(appendRecords(actor, sampleRecords(1)), 'ServiceUnavailable');
    expect(actor.status).toBe('created');
  });

  it('seals for a reshard: writes what was queued, refuses the rest retriably, answers its last sequence', async () => {
    const shard = fixture.shard();
    const actor = await startActor(shard);
    await appendRecords(actor, sampleRecords(2), 40);
    const queued = appendRecords(actor, sampleRecords(3), 40);
    const sealing = actor.seal();
    const refused = await expectRejectsWith(appendRecords(actor, sampleRecords(1)), 'ServiceUnavailable');
    expect(refused.message).toMatch(/closing for a reshard/);
    expect(await queued).toEqual([3, 4, 5]);
    expect(await sealing).toBe(5);
    expect(actor.status).toBe('sealed');
    expect(actor.sealedAt).toBeDefined();
    expect(await fixture.store.bounds(shard)).toMatchObject({ lastSeq: 5 });
    expect(await actor.seal()).toBe(5);

    await actor.unseal();
    expect(await appendRecords(actor, sampleRecords(1))).toEqual([6]);
    expect(actor.sealedAt).toBeUndefined();
  });

  it('counts what it writes per second for the autoscaler', async () => {
    let now = 1_700_000_000_000;
    const actor = await startActor(fixture.shard(), { now: () => now });
    await appendRecords(actor, sampleRecords(5), 40);
    now += 1000;
    await appendRecords(actor, sampleRecords(3));
    const [first, second] = actor.writes.since(0);
    expect(first).toMatchObject({ second: 1_700_000_000, records: 5 });
    expect(second).toMatchObject({ second: 1_700_000_001, records: 3 });
    expect(first!.bytes).toBeGreaterThan(0);
  });
});
