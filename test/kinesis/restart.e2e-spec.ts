import {
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type _Record,
} from '@aws-sdk/client-kinesis';
import { dropDatabase, scratchDatabaseUrl } from '../support/database';
import { removeShardStorage } from '../support/cleanup';
import { createActiveStream, readShard } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const shardId = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
const text = (record: _Record) => Buffer.from(record.Data!).toString();
const seqCompare = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);

// Restarting is not a wire matter: the default (h2c) client only.
describe('a graceful restart on the same database', () => {
  const databaseUrl = scratchDatabaseUrl(randomName('sl_restart'));
  let platform: TestPlatform | undefined;

  afterAll(async () => {
    await platform?.close();
    await removeShardStorage(databaseUrl);
    await dropDatabase(databaseUrl);
  });

  it('keeps streams, shards and every record, and numbers new records after the old ones', async () => {
    const StreamName = randomName('restart');
    const big = Buffer.alloc(1024 * 1024, 0x5a);

    // Before: a 3-shard stream with tags and retention, records single and batched, one of 1 MiB.
    platform = await startTestPlatform({ databaseUrl });
    let kinesis = kinesisClient(platform.endpoint, 'h2c');
    await createActiveStream(kinesis, { StreamName, ShardCount: 3, Tags: { keep: 'me' } });
    const { Shards: shardsBefore } = await kinesis.send(new ListShardsCommand({ StreamName }));
    const { StreamDescription: before } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    const sent: Array<{ shardId: string; sequenceNumber: string; data: string }> = [];
    for (let batch = 0; batch < 4; batch++) {
      const records = Array.from({ length: 50 }, (_, i) => ({ PartitionKey: `key-${batch}-${i}`, Data: Buffer.from(`b${batch}-${i}`) }));
      const put = await kinesis.send(new PutRecordsCommand({ StreamName, Records: records }));
      expect(put.FailedRecordCount).toBe(0);
      put.Records!.forEach((r, i) => sent.push({ shardId: r.ShardId!, sequenceNumber: r.SequenceNumber!, data: `b${batch}-${i}` }));
    }
    for (let i = 0; i < 5; i++) {
      const put = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: `single-${i}`, Data: Buffer.from(`s${i}`) }));
      sent.push({ shardId: put.ShardId!, sequenceNumber: put.SequenceNumber!, data: `s${i}` });
    }
    const bigPut = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'big', ExplicitHashKey: '0', Data: big }));
    expect(bigPut.ShardId).toBe(shardId(0));
    const readAll = async () => {
      const byShard = new Map<string, _Record[]>();
      for (let n = 0; n < 3; n++) byShard.set(shardId(n), await readShard(kinesis, StreamName, shardId(n)));
      return byShard;
    };
    const beforeRecords = await readAll();
    kinesis.destroy();
    await platform.close();
    platform = undefined;

    // After: a new platform on the same database and the same JetStream.
    platform = await startTestPlatform({ databaseUrl });
    kinesis = kinesisClient(platform.endpoint, 'h2c');
    try {
      expect((await kinesis.send(new ListStreamsCommand({}))).StreamNames).toEqual([StreamName]);
      const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
      expect(StreamDescriptionSummary).toMatchObject({ StreamStatus: 'ACTIVE', OpenShardCount: 3, RetentionPeriodHours: 24 });
      const { StreamDescription: after } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
      expect(after!.Shards).toEqual(before!.Shards);
      expect(after!.StreamCreationTimestamp).toEqual(before!.StreamCreationTimestamp);
      expect((await kinesis.send(new ListShardsCommand({ StreamName }))).Shards).toEqual(shardsBefore);
      expect((await kinesis.send(new ListTagsForStreamCommand({ StreamName }))).Tags).toEqual([{ Key: 'keep', Value: 'me' }]);

      const afterRecords = await readAll();
      for (const [id, records] of beforeRecords) {
        const again = afterRecords.get(id)!;
        expect(again.map((r) => r.SequenceNumber)).toEqual(records.map((r) => r.SequenceNumber));
        expect(again.map((r) => r.PartitionKey)).toEqual(records.map((r) => r.PartitionKey));
        expect(again.map((r) => Buffer.from(r.Data!).toString('base64'))).toEqual(records.map((r) => Buffer.from(r.Data!).toString('base64')));
        expect(again.map((r) => r.ApproximateArrivalTimestamp)).toEqual(records.map((r) => r.ApproximateArrivalTimestamp));
      }
      // Every record acknowledged before the restart, in its shard, with its data.
      const found = new Map<string, { shardId: string; data: string }>();
      for (const [id, records] of afterRecords) for (const r of records) found.set(r.SequenceNumber!, { shardId: id, data: text(r) });
      for (const record of sent) expect(found.get(record.sequenceNumber)).toEqual({ shardId: record.shardId, data: record.data });
      expect(found.size).toBe(sent.length + 1);
      expect(Buffer.from(afterRecords.get(shardId(0))!.find((r) => r.SequenceNumber === bigPut.SequenceNumber)!.Data!).equals(big)).toBe(true);

      // New puts on every shard get sequence numbers above every old one of that shard, and are read after them.
      for (let n = 0; n < 3; n++) {
        const start = BigInt(before!.Shards![n].HashKeyRange!.StartingHashKey!);
        const put = await kinesis.send(
          new PutRecordCommand({ StreamName, PartitionKey: 'new', ExplicitHashKey: start.toString(), Data: Buffer.from(`new-${n}`) }),
        );
        expect(put.ShardId).toBe(shardId(n));
        const old = beforeRecords.get(shardId(n))!.map((r) => r.SequenceNumber!);
        expect(old.length).toBeGreaterThan(0);
        expect(seqCompare(put.SequenceNumber!, old[old.length - 1])).toBe(1);
        const records = await readShard(kinesis, StreamName, shardId(n));
        expect(records.map((r) => r.SequenceNumber)).toEqual([...old, put.SequenceNumber]);
        expect(text(records[records.length - 1])).toBe(`new-${n}`);
      }
      const batch = await kinesis.send(
        new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'x', ExplicitHashKey: '0', Data: Buffer.from('batch') }] }),
      );
      expect(seqCompare(batch.Records![0].SequenceNumber!, bigPut.SequenceNumber!)).toBe(1);
    } finally {
      kinesis.destroy();
    }
  });
});
