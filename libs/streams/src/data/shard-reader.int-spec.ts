import { encodeRecordBatches, shardStreamName, type RecordInput, type ShardAddress } from '@shardline/messaging';
import { encodeSequenceNumber, type RecordPosition, type StoredRecord } from '@shardline/protocol';
import { ShardStoreFixture, appendRecords, sampleRecords } from '../../../../test/support/shard-store';
import { ShardActor } from '../actor/shard-actor';
import { ShardReader } from './shard-reader';

const SHARD_INDEX = 2;
const ARRIVAL = Date.UTC(2024, 5, 1, 12);
const SMALL_LIMIT = 64 * 1024;

const plain = (records: readonly (RecordInput | StoredRecord)[]) =>
  records.map((r) => `${r.partitionKey}=${Buffer.from(r.data).toString('hex').slice(0, 64)}:${r.data.length}`);
const seqNo = (seq: number, index: number) => encodeSequenceNumber(SHARD_INDEX, { seq, index });

describe('ShardReader on JetStream', () => {
  let fixture: ShardStoreFixture;
  let reader: ShardReader;
  const actors: ShardActor[] = [];

  beforeAll(async () => {
    fixture = await ShardStoreFixture.open();
    reader = new ShardReader(fixture.store);
  });
  afterAll(async () => {
    await Promise.all(actors.map((a) => a.stop()));
    await fixture.close();
  });

  /** A new shard with a running actor whose clock reads ARRIVAL. */
  async function shardWithActor(): Promise<{ shard: ShardAddress; actor: ShardActor }> {
    const shard = fixture.shard(SHARD_INDEX);
    const actor = new ShardActor(fixture.store, shard, () => ARRIVAL);
    actors.push(actor);
    await actor.start(24);
    return { shard, actor };
  }

  /** Reads `limit` at a time from `from` until the tip; answers every record and each read's size. */
  async function readAll(shard: ShardAddress, limit: number, from: RecordPosition = { seq: 0, index: 0 }) {
    const records: StoredRecord[] = [];
    const sizes: number[] = [];
    for (let position = from, reads = 0; reads < 100; reads++) {
      const read = await reader.read(shard, position, limit);
      records.push(...read.records);
      sizes.push(read.records.length);
      if (read.atTip) return { records, sizes, next: read.next };
      position = read.next;
    }
    throw new Error('never reached the tip');
  }

  /** Three batches of 5, 1 and 4 records, one message each, at sequences 1, 2 and 3. */
  async function threeBatches() {
    const { shard, actor } = await shardWithActor();
    const batches = [sampleRecords(5, 0), sampleRecords(1, 5), sampleRecords(4, 6)];
    for (const batch of batches) await appendRecords(actor, batch);
    return { shard, actor, written: batches.flat() };
  }

  it('answers at most 10 MiB of data per call and continues exactly after it', async () => {
    const { shard, actor } = await shardWithActor();
    const written = Array.from({ length: 12 }, (_, i) => ({ partitionKey: `big-${i}`, data: Buffer.alloc(1024 * 1024, i) }));
    for (let i = 0; i < written.length; i += 4) await appendRecords(actor, written.slice(i, i + 4), 1024 * 1024 - 4096);
    const first = await reader.read(shard, { seq: 0, index: 0 }, 10_000);
    const bytes = first.records.reduce((sum, r) => sum + r.data.length, 0);
    expect(bytes).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(first.records.length).toBe(10);
    expect(first.atTip).toBe(false);
    const rest = await readAll(shard, 10_000, first.next);
    expect([...first.records, ...rest.records].map((r) => r.partitionKey)).toEqual(written.map((r) => r.partitionKey));
  });

  it('fetches from JetStream only the messages a read bound by bytes or records can use', async () => {
    const { shard, actor } = await shardWithActor();
    for (let m = 0; m < 30; m++) {
      await appendRecords(actor, Array.from({ length: 10 }, (_, i) => ({ partitionKey: `k-${m}-${i}`, data: Buffer.alloc(1024, i) })));
    }
    const getRange = jest.spyOn(fixture.store, 'getRange');
    const fetched = async () => {
      const answers = await Promise.all(getRange.mock.results.map((r) => r.value as Promise<unknown[]>));
      getRange.mockClear();
      return answers.reduce((sum, messages) => sum + messages.length, 0);
    };
    try {
      // 5 messages' data: a fixed window fetched 17 (1, then 16).
      expect((await reader.read(shard, { seq: 0, index: 0 }, 1000, 50 * 1024)).records).toHaveLength(50);
      expect(await fetched()).toBe(5);
      const byRecords = await reader.read(shard, { seq: 0, index: 0 }, 25);
      expect(byRecords.records).toHaveLength(25);
      expect(byRecords.next).toEqual({ seq: 3, index: 5 });
      expect(await fetched()).toBe(3);
      // Reads that want everything still fetch in full windows, to the tip.
      expect((await readAll(shard, 10_000)).records).toHaveLength(300);
      expect(await fetched()).toBe(30);
    } finally {
      getRange.mockRestore();
    }
  });

  it('reads an empty shard as the tip', async () => {
    const { shard } = await shardWithActor();
    expect(await reader.read(shard, { seq: 0, index: 0 }, 100)).toEqual({ records: [], next: { seq: 1, index: 0 }, atTip: true });
  });

  it('reads everything in order from the oldest position, with sequence numbers and arrival times', async () => {
    const { shard, written } = await threeBatches();
    const read = await reader.read(shard, { seq: 0, index: 0 }, 100);
    expect(plain(read.records)).toEqual(plain(written));
    expect(read.records.map((r) => r.sequenceNumber)).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => seqNo(1, i)),
      seqNo(2, 0),
      ...[0, 1, 2, 3].map((i) => seqNo(3, i)),
    ]);
    expect(read.records.every((r) => r.arrivalTimestamp.getTime() === ARRIVAL)).toBe(true);
    expect(read.lastArrival).toBe(ARRIVAL);
    expect(read.atTip).toBe(true);
    expect(read.next).toEqual({ seq: 4, index: 0 });
  });

  it('reads from the middle of a batch', async () => {
    const { shard, written } = await threeBatches();
    const read = await reader.read(shard, { seq: 1, index: 3 }, 100);
    expect(plain(read.records)).toEqual(plain(written.slice(3)));
    expect(read.records[0].sequenceNumber).toBe(seqNo(1, 3));
    expect((await reader.read(shard, { seq: 3, index: 2 }, 100)).records.map((r) => r.sequenceNumber)).toEqual([seqNo(3, 2), seqNo(3, 3)]);
  });

  it('cuts inside a batch at the limit, the next position continuing exactly there', async () => {
    const { shard, written } = await threeBatches();
    const first = await reader.read(shard, { seq: 0, index: 0 }, 3);
    expect(first.records.map((r) => r.sequenceNumber)).toEqual([seqNo(1, 0), seqNo(1, 1), seqNo(1, 2)]);
    expect(first.next).toEqual({ seq: 1, index: 3 });
    expect(first.atTip).toBe(false);

    const all = await readAll(shard, 3);
    expect(plain(all.records)).toEqual(plain(written));
    expect(new Set(all.records.map((r) => r.sequenceNumber)).size).toBe(written.length);
    expect(all.sizes.slice(0, 3)).toEqual([3, 3, 3]);
  });

  it('reads a record stored in parts back whole, with its first part’s sequence', async () => {
    const { shard, actor } = await shardWithActor();
    const big: RecordInput = { partitionKey: 'big', data: Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) % 251)) };
    await appendRecords(actor, sampleRecords(2, 0), SMALL_LIMIT);
    const seqs = await appendRecords(actor, [big, ...sampleRecords(2, 2)], SMALL_LIMIT);
    expect(seqs.length).toBeGreaterThanOrEqual(5); // 4 parts, then one records message

    const all = await readAll(shard, 100);
    expect(plain(all.records)).toEqual(plain([...sampleRecords(2, 0), big, ...sampleRecords(2, 2)]));
    expect(all.records[2].sequenceNumber).toBe(seqNo(seqs[0], 0));
    expect(all.records[3].sequenceNumber).toBe(seqNo(seqs.at(-1)!, 0));
    expect(all.records[2].arrivalTimestamp.getTime()).toBe(ARRIVAL);

    const fromBig = await reader.read(shard, { seq: seqs[0], index: 0 }, 1);
    expect(plain(fromBig.records)).toEqual(plain([big]));
    expect(fromBig.next).toEqual({ seq: seqs.at(-1)!, index: 0 });
  });

  it('skips the orphan parts of a write that failed half-way', async () => {
    const shard = await fixture.ensured(SHARD_INDEX);
    const orphan = encodeRecordBatches([{ partitionKey: 'lost', data: Buffer.alloc(3 * SMALL_LIMIT) }], SMALL_LIMIT);
    const after = encodeRecordBatches(sampleRecords(3), SMALL_LIMIT);
    expect(orphan.length).toBeGreaterThan(2);
    const direct = [orphan[0].payload, ...after.map((m) => m.payload), orphan[0].payload, orphan[1].payload, ...after.map((m) => m.payload)];
    for (const [i, payload] of direct.entries()) await fixture.store.publish(shard, payload, i, `direct-${i}`);

    const all = await readAll(shard, 100);
    expect(plain(all.records)).toEqual(plain([...sampleRecords(3), ...sampleRecords(3)]));
    expect(all.records.map((r) => r.sequenceNumber)).toEqual([0, 1, 2].map((i) => seqNo(2, i)).concat([0, 1, 2].map((i) => seqNo(5, i))));
    expect(all.next).toEqual({ seq: 6, index: 0 });
  });

  it('stops at the tip before a record whose parts are still being written, and reads it once complete', async () => {
    const shard = await fixture.ensured(SHARD_INDEX);
    const before = encodeRecordBatches(sampleRecords(2), SMALL_LIMIT)[0].payload;
    const parts = encodeRecordBatches([{ partitionKey: 'slow', data: Buffer.alloc(2 * SMALL_LIMIT, 5) }], SMALL_LIMIT).map((m) => m.payload);
    expect(parts).toHaveLength(3);
    await fixture.store.publish(shard, before, 0, 'before');
    await fixture.store.publish(shard, parts[0], 1, 'part-0');
    await fixture.store.publish(shard, parts[1], 2, 'part-1');

    const partial = await reader.read(shard, { seq: 0, index: 0 }, 100);
    expect(plain(partial.records)).toEqual(plain(sampleRecords(2)));
    expect(partial).toMatchObject({ atTip: true, next: { seq: 2, index: 0 } });

    await fixture.store.publish(shard, parts[2], 3, 'part-2');
    const rest = await reader.read(shard, partial.next, 100);
    expect(rest.records.map((r) => [r.partitionKey, r.data.length, r.sequenceNumber])).toEqual([['slow', 2 * SMALL_LIMIT, seqNo(2, 0)]]);
    expect(rest).toMatchObject({ atTip: true, next: { seq: 5, index: 0 } });
  });

  it('skips records trimmed by retention, reading on from the oldest one left', async () => {
    const { shard, written } = await threeBatches();
    const jsm = await fixture.nc.jetstreamManager();
    await jsm.streams.purge(shardStreamName(shard.streamId, shard.shardIndex), { seq: 3 });
    for (const from of [{ seq: 0, index: 0 }, { seq: 1, index: 2 }]) {
      const read = await reader.read(shard, from, 100);
      expect(plain(read.records)).toEqual(plain(written.slice(6)));
      expect(read.records[0].sequenceNumber).toBe(seqNo(3, 0));
    }
  });

  it('says atTip only once the newest record was read', async () => {
    const { shard, actor } = await threeBatches();
    expect((await reader.read(shard, { seq: 0, index: 0 }, 5)).atTip).toBe(false);
    const tail = await reader.read(shard, { seq: 3, index: 0 }, 100);
    expect(tail).toMatchObject({ atTip: true, next: { seq: 4, index: 0 } });
    expect(await reader.read(shard, tail.next, 100)).toMatchObject({ records: [], atTip: true, next: { seq: 4, index: 0 } });
    await appendRecords(actor, sampleRecords(1, 50));
    expect(plain((await reader.read(shard, tail.next, 100)).records)).toEqual(plain(sampleRecords(1, 50)));
  });
});
