import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type GetShardIteratorCommandInput,
  type KinesisClient,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { createActiveStream, expectAwsError, readShard } from '../support/kinesis';
import { kinesisClient, startTestPlatform, TRANSPORTS, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const SHARD0 = 'shardId-000000000000';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (record: _Record) => Buffer.from(record.Data!).toString();

describe.each(TRANSPORTS)('shard iterators over %s', (transport) => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;
  /** A one-shard stream holding r0, then a batch b0..b4, then r1, then a batch c0..c2. */
  let StreamName: string;
  let seq: Record<string, string>;

  const iterator = async (input: Omit<GetShardIteratorCommandInput, 'StreamName' | 'ShardId'> & { ShardId?: string }) =>
    (await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD0, ...input }))).ShardIterator!;
  const firstRecords = async (shardIterator: string, Limit?: number) =>
    (await kinesis.send(new GetRecordsCommand({ ShardIterator: shardIterator, Limit }))).Records!.map(text);
  const putOne = async (Stream: string, data: string) =>
    (await kinesis.send(new PutRecordCommand({ StreamName: Stream, PartitionKey: 'p', Data: Buffer.from(data) }))).SequenceNumber!;
  const putBatch = async (Stream: string, data: string[]) => {
    const answer = await kinesis.send(
      new PutRecordsCommand({ StreamName: Stream, Records: data.map((d) => ({ PartitionKey: 'p', Data: Buffer.from(d) })) }),
    );
    expect(answer.FailedRecordCount).toBe(0);
    return answer.Records!.map((r) => r.SequenceNumber!);
  };

  beforeAll(async () => {
    platform = await startTestPlatform();
    kinesis = kinesisClient(platform.endpoint, transport);
    StreamName = randomName('iter');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    seq = {};
    seq.r0 = await putOne(StreamName, 'r0');
    const b = await putBatch(StreamName, ['b0', 'b1', 'b2', 'b3', 'b4']);
    b.forEach((s, i) => (seq[`b${i}`] = s));
    seq.r1 = await putOne(StreamName, 'r1');
    const c = await putBatch(StreamName, ['c0', 'c1', 'c2']);
    c.forEach((s, i) => (seq[`c${i}`] = s));
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  const ALL = ['r0', 'b0', 'b1', 'b2', 'b3', 'b4', 'r1', 'c0', 'c1', 'c2'];

  it('TRIM_HORIZON starts at the first record and reads them all in order', async () => {
    expect(await firstRecords(await iterator({ ShardIteratorType: 'TRIM_HORIZON' }))).toEqual(ALL);
    const records = await readShard(kinesis, StreamName, SHARD0);
    expect(records.map((r) => r.SequenceNumber)).toEqual(ALL.map((name) => seq[name]));
  });

  it('LATEST sees only records put after the iterator was taken', async () => {
    const Stream = randomName('latest');
    await createActiveStream(kinesis, { StreamName: Stream, ShardCount: 1 });
    await putOne(Stream, 'before-1');
    await putBatch(Stream, ['before-2', 'before-3']);
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: Stream, ShardId: SHARD0, ShardIteratorType: 'LATEST' }),
    );
    const empty = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    expect(empty.Records).toEqual([]);
    expect(empty.MillisBehindLatest).toBe(0);
    await putOne(Stream, 'after-1');
    await putBatch(Stream, ['after-2', 'after-3']);
    // The iterator taken before the puts, and the one the empty read answered, both see exactly the new records.
    expect(await firstRecords(ShardIterator!)).toEqual(['after-1', 'after-2', 'after-3']);
    expect(await firstRecords(empty.NextShardIterator!)).toEqual(['after-1', 'after-2', 'after-3']);
  });

  it.each([
    ['a single record', 'r1', ['r1', 'c0', 'c1', 'c2']],
    ['the first record of a batch', 'b0', ['b0', 'b1', 'b2', 'b3', 'b4', 'r1', 'c0', 'c1', 'c2']],
    ['a record in the middle of a batch', 'b2', ['b2', 'b3', 'b4', 'r1', 'c0', 'c1', 'c2']],
    ['the last record of a batch', 'b4', ['b4', 'r1', 'c0', 'c1', 'c2']],
    ['the very first record', 'r0', ALL],
  ])('AT_SEQUENCE_NUMBER of %s starts at that record', async (_what, name, expected) => {
    const it = await iterator({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: seq[name] });
    expect(await firstRecords(it)).toEqual(expected);
  });

  it.each([
    ['a single record', 'r0', ['b0', 'b1', 'b2', 'b3', 'b4', 'r1', 'c0', 'c1', 'c2']],
    ['a record in the middle of a batch', 'b1', ['b2', 'b3', 'b4', 'r1', 'c0', 'c1', 'c2']],
    ['the last record of a batch (across its end)', 'b4', ['r1', 'c0', 'c1', 'c2']],
    ['the record before a batch', 'r1', ['c0', 'c1', 'c2']],
  ])('AFTER_SEQUENCE_NUMBER of %s starts at the next record', async (_what, name, expected) => {
    const it = await iterator({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: seq[name] });
    expect(await firstRecords(it)).toEqual(expected);
  });

  it('AFTER_SEQUENCE_NUMBER of the last record returns nothing, then the next record put', async () => {
    const Stream = randomName('after-last');
    await createActiveStream(kinesis, { StreamName: Stream, ShardCount: 1 });
    const [, last] = await putBatch(Stream, ['x0', 'x1']);
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: Stream,
        ShardId: SHARD0,
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
        StartingSequenceNumber: last,
      }),
    );
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    expect(page.Records).toEqual([]);
    await putOne(Stream, 'x2');
    expect(await firstRecords(page.NextShardIterator!)).toEqual(['x2']);
  });

  it('AT_TIMESTAMP starts at the first record that arrived at or after the time', async () => {
    const Stream = randomName('ts');
    await createActiveStream(kinesis, { StreamName: Stream, ShardCount: 1 });
    await putOne(Stream, 't0');
    await sleep(30);
    await putBatch(Stream, ['t1', 't2']);
    await sleep(30);
    await putOne(Stream, 't3');
    const records = await readShard(kinesis, Stream, SHARD0);
    expect(records.map(text)).toEqual(['t0', 't1', 't2', 't3']);
    const at = (name: string) => records.find((r) => text(r) === name)!.ApproximateArrivalTimestamp!;
    expect(at('t1').getTime()).toBeGreaterThan(at('t0').getTime());
    expect(at('t3').getTime()).toBeGreaterThan(at('t2').getTime());
    const from = async (Timestamp: Date) => {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName: Stream, ShardId: SHARD0, ShardIteratorType: 'AT_TIMESTAMP', Timestamp }),
      );
      return firstRecords(ShardIterator!);
    };
    expect(await from(new Date(at('t0').getTime() - 60_000))).toEqual(['t0', 't1', 't2', 't3']);
    expect(await from(at('t0'))).toEqual(['t0', 't1', 't2', 't3']);
    expect(await from(new Date(at('t0').getTime() + 1))).toEqual(['t1', 't2', 't3']);
    expect(await from(at('t1'))).toEqual(['t1', 't2', 't3']);
    expect(await from(at('t3'))).toEqual(['t3']);
    expect(await from(new Date(at('t3').getTime() + 1))).toEqual([]);
  });

  it('AT_TIMESTAMP in the future returns nothing, then sees the records put afterwards', async () => {
    const Stream = randomName('ts-future');
    await createActiveStream(kinesis, { StreamName: Stream, ShardCount: 1 });
    await putOne(Stream, 'old');
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: Stream,
        ShardId: SHARD0,
        ShardIteratorType: 'AT_TIMESTAMP',
        Timestamp: new Date(Date.now() + 3_600_000),
      }),
    );
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    expect(page.Records).toEqual([]);
    await putOne(Stream, 'new');
    expect(await firstRecords(page.NextShardIterator!)).toEqual(['new']);
  });

  it('GetRecords honours Limit and NextShardIterator continues exactly where the page stopped', async () => {
    for (const limit of [1, 2, 3, 4, 7]) {
      let it = await iterator({ ShardIteratorType: 'TRIM_HORIZON' });
      const seen: string[] = [];
      for (let calls = 0; calls < 20; calls++) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: it, Limit: limit }));
        expect(page.Records!.length).toBeLessThanOrEqual(limit);
        seen.push(...page.Records!.map(text));
        it = page.NextShardIterator!;
        if (seen.length >= ALL.length) break;
        // Every page but the last one is full: records are there to be read.
        expect(page.Records).toHaveLength(limit);
      }
      expect({ limit, seen }).toEqual({ limit, seen: ALL });
      expect((await kinesis.send(new GetRecordsCommand({ ShardIterator: it }))).Records).toEqual([]);
    }
  });

  it('positions and pages exactly around records of 1 MiB (stored in parts)', async () => {
    const Stream = randomName('big');
    await createActiveStream(kinesis, { StreamName: Stream, ShardCount: 1 });
    const big = (name: string) => name.padEnd(1024 * 1024, '.');
    const names = ['s0', 'B1', 's2', 'B3', 's4'];
    const data = (name: string) => (name.startsWith('B') ? big(name) : name);
    const sequence = [await putOne(Stream, data('s0')), ...(await putBatch(Stream, names.slice(1).map(data)))];
    const label = (record: _Record) => text(record).replace(/\.+$/, '');
    const read = async (input: Omit<GetShardIteratorCommandInput, 'StreamName' | 'ShardId'>, Limit?: number) => {
      const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: Stream, ShardId: SHARD0, ...input }));
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit }));
      return { labels: page.Records!.map(label), page };
    };
    expect((await read({ ShardIteratorType: 'AT_SEQUENCE_NUMBER', StartingSequenceNumber: sequence[1] })).labels).toEqual(names.slice(1));
    expect((await read({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: sequence[1] })).labels).toEqual(names.slice(2));
    expect((await read({ ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: sequence[3] })).labels).toEqual(['s4']);
    let { page } = await read({ ShardIteratorType: 'TRIM_HORIZON' }, 1);
    const seen = page.Records!.map(label);
    while (seen.length < names.length) {
      page = await kinesis.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator, Limit: 1 }));
      expect(page.Records).toHaveLength(1);
      expect(Buffer.from(page.Records![0].Data!).length).toBe(data(label(page.Records![0])).length);
      seen.push(label(page.Records![0]));
    }
    expect(seen).toEqual(names);
  });

  it('MillisBehindLatest is 0 at the tip', async () => {
    const page = await kinesis.send(
      new GetRecordsCommand({ ShardIterator: await iterator({ ShardIteratorType: 'TRIM_HORIZON' }) }),
    );
    expect(page.Records).toHaveLength(ALL.length);
    expect(page.MillisBehindLatest).toBe(0);
    const tip = await kinesis.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }));
    expect(tip.Records).toEqual([]);
    expect(tip.MillisBehindLatest).toBe(0);
  });

  it('a forged or garbled iterator is an InvalidArgumentException', async () => {
    const valid = await iterator({ ShardIteratorType: 'TRIM_HORIZON' });
    const [payload, signature] = valid.split('.');
    // The same signature over a payload that moves the position.
    const decoded = Buffer.from(payload, 'base64url').toString().split(':');
    decoded[2] = String(Number(decoded[2]) + 5);
    const forged = `${Buffer.from(decoded.join(':')).toString('base64url')}.${signature}`;
    const flipped = valid.slice(0, -1) + (valid.endsWith('A') ? 'B' : 'A');
    for (const bad of [forged, flipped, 'garbage', 'AAAA.BBBB', valid.slice(0, 20)]) {
      await expectAwsError(kinesis.send(new GetRecordsCommand({ ShardIterator: bad })), 'InvalidArgumentException');
    }
  });

  it('a sequence number of another shard in AT_SEQUENCE_NUMBER is an InvalidArgumentException', async () => {
    const Stream = randomName('two-shards');
    await createActiveStream(kinesis, { StreamName: Stream, ShardCount: 2 });
    const put = await kinesis.send(
      new PutRecordCommand({ StreamName: Stream, PartitionKey: 'p', Data: Buffer.from('x'), ExplicitHashKey: '0' }),
    );
    expect(put.ShardId).toBe(SHARD0);
    for (const ShardIteratorType of ['AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const) {
      await expectAwsError(
        kinesis.send(
          new GetShardIteratorCommand({
            StreamName: Stream,
            ShardId: 'shardId-000000000001',
            ShardIteratorType,
            StartingSequenceNumber: put.SequenceNumber,
          }),
        ),
        'InvalidArgumentException',
        /StartingSequenceNumber/,
      );
    }
  });

  it('an unknown shard id is a ResourceNotFoundException', async () => {
    for (const ShardId of ['shardId-000000000001', 'shardId-000000000099', 'no-such-shard']) {
      await expectAwsError(
        kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' })),
        'ResourceNotFoundException',
        new RegExp(`Shard ${ShardId} in stream ${StreamName} .*does not exist`),
      );
    }
  });

  it('PutRecord with ExplicitHashKey lands in the shard whose hash key range holds it', async () => {
    const Stream = randomName('ehk');
    await createActiveStream(kinesis, { StreamName: Stream, ShardCount: 4 });
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: Stream }));
    expect(Shards).toHaveLength(4);
    const expected = new Map<string, string[]>();
    for (const shard of Shards!) {
      const start = BigInt(shard.HashKeyRange!.StartingHashKey!);
      const end = BigInt(shard.HashKeyRange!.EndingHashKey!);
      for (const key of [start, (start + end) / 2n, end]) {
        // The partition key's own hash would route elsewhere for most shards: the explicit key wins.
        const data = `${shard.ShardId}:${key}`;
        const put = await kinesis.send(
          new PutRecordCommand({ StreamName: Stream, PartitionKey: 'same-key', ExplicitHashKey: key.toString(), Data: Buffer.from(data) }),
        );
        expect({ key: key.toString(), shard: put.ShardId }).toEqual({ key: key.toString(), shard: shard.ShardId });
        expected.set(shard.ShardId!, [...(expected.get(shard.ShardId!) ?? []), data]);
      }
    }
    for (const shard of Shards!) {
      const records = await readShard(kinesis, Stream, shard.ShardId!);
      expect(records.map(text)).toEqual(expected.get(shard.ShardId!));
    }
  });

  // Last: moves the platform's clock, which every later arrival time would see.
  it('an iterator expires after 5 minutes (ExpiredIteratorException), not at 4', async () => {
    const old = await iterator({ ShardIteratorType: 'TRIM_HORIZON' });
    platform.advanceClock(4 * 60 * 1000);
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: old, Limit: 2 }));
    expect(page.Records!.map(text)).toEqual(['r0', 'b0']);
    platform.advanceClock(60 * 1000 + 1);
    await expectAwsError(
      kinesis.send(new GetRecordsCommand({ ShardIterator: old })),
      'ExpiredIteratorException',
      /^Iterator expired\./,
    );
    // The iterator the read at 4 minutes answered was issued then: it is 1 minute old and still reads on.
    expect(await firstRecords(page.NextShardIterator!, 2)).toEqual(['b1', 'b2']);
  });
});
