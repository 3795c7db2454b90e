import { createHash } from 'node:crypto';
import {
  ListShardsCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
  CreateStreamCommand,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';
import { readShard } from '../support/kinesis';
import { kinesisClient, startTestPlatform, TRANSPORTS, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

/** The hash key Kinesis routes a partition key by: MD5 as a 128-bit unsigned integer. */
const hashKeyOf = (partitionKey: string) => BigInt('0x' + createHash('md5').update(partitionKey).digest('hex'));

describe.each(TRANSPORTS)('PutRecords and GetRecords over %s', (transport) => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    platform = await startTestPlatform();
    kinesis = kinesisClient(platform.endpoint, transport);
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('takes 10,000 records on 4 shards and reads each back exactly once, in order, from the right shard', async () => {
    const StreamName = randomName('put-get');
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 4 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });

    const sent = new Map<string, { partitionKey: string; data: string; shardId: string }>();
    for (let batch = 0; batch < 20; batch++) {
      const records = Array.from({ length: 500 }, (_, i) => {
        const n = batch * 500 + i;
        return { PartitionKey: `key-${n % 997}`, Data: Buffer.from(`record-${n}-${'x'.repeat(n % 300)}`) };
      });
      const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records: records }));
      expect(answer.FailedRecordCount).toBe(0);
      answer.Records!.forEach((result, i) => {
        sent.set(result.SequenceNumber!, {
          partitionKey: records[i].PartitionKey,
          data: Buffer.from(records[i].Data).toString(),
          shardId: result.ShardId!,
        });
      });
    }
    expect(sent.size).toBe(10_000);

    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
    expect(Shards).toHaveLength(4);
    const seen = new Set<string>();
    for (const shard of Shards!) {
      const records = await readShard(kinesis, StreamName, shard.ShardId!);
      const sequenceNumbers = records.map((r) => r.SequenceNumber!);
      expect([...sequenceNumbers].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1))).toEqual(sequenceNumbers);
      for (const record of records) {
        const expected = sent.get(record.SequenceNumber!);
        expect(expected).toBeDefined();
        expect(seen.has(record.SequenceNumber!)).toBe(false);
        seen.add(record.SequenceNumber!);
        expect(record.PartitionKey).toBe(expected!.partitionKey);
        expect(Buffer.from(record.Data!).toString()).toBe(expected!.data);
        expect(expected!.shardId).toBe(shard.ShardId);
        expect(inRange(shard, hashKeyOf(record.PartitionKey!))).toBe(true);
        expect(record.ApproximateArrivalTimestamp).toBeInstanceOf(Date);
      }
      // Put order per shard: the n in "record-n" grows along the shard.
      const order = records.map((r) => Number(Buffer.from(r.Data!).toString().split('-')[1]));
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    }
    expect(seen.size).toBe(10_000);
  });

  it('round-trips records of 1 MiB (stored in parts) and binary data', async () => {
    const StreamName = randomName('big');
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });
    const big = Buffer.alloc(1024 * 1024, 0xab);
    const binary = Buffer.from([0, 255, 1, 254, 10, 13]);
    const put = await kinesis.send(
      new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'a', Data: big }, { PartitionKey: 'b', Data: binary }] }),
    );
    expect(put.FailedRecordCount).toBe(0);
    const records = await readShard(kinesis, StreamName, 'shardId-000000000000');
    expect(records.map((r) => r.SequenceNumber)).toEqual(put.Records!.map((r) => r.SequenceNumber));
    expect(Buffer.from(records[0].Data!).equals(big)).toBe(true);
    expect(Buffer.from(records[1].Data!).equals(binary)).toBe(true);
  });
});

function inRange(shard: Shard, key: bigint): boolean {
  return BigInt(shard.HashKeyRange!.StartingHashKey!) <= key && key <= BigInt(shard.HashKeyRange!.EndingHashKey!);
}
