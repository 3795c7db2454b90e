/**
 * KinesisStreamAsSource: a delivery stream reads a Shardline stream's shards from its
 * creation on, follows a split (the children only after the parent is delivered to its
 * end) and delivers every record once; records put before it existed are not delivered.
 */
import { DescribeStreamCommand, PutRecordsCommand, SplitShardCommand, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { eventually } from '../support/firehose';
import { createActiveStream, waitActive } from '../support/kinesis';
import { randomName } from '../support/random-name';
import { createFromStream, useFirehoseTestbed } from './support';

describe('a delivery stream reading a Kinesis stream', () => {
  const bed = useFirehoseTestbed({ kinesis: 'http1' });

  const put = async (StreamName: string, from: number, count: number) => {
    const Records = Array.from({ length: count }, (_, i) => ({ PartitionKey: `key-${(from + i) % 10}`, Data: Buffer.from(`${from + i}\n`) }));
    expect((await bed.kinesis.send(new PutRecordsCommand({ StreamName, Records }))).FailedRecordCount).toBe(0);
  };

  it('delivers what is put after its creation, across a split, each record once', async () => {
    const StreamName = randomName('fh-source');
    await createActiveStream(bed.kinesis, { StreamName, ShardCount: 1 });
    await put(StreamName, -50, 50);
    const { StreamDescription } = await bed.kinesis.send(new DescribeStreamCommand({ StreamName }));
    const name = randomName('fh-from-stream');
    const bucket = randomName('from-stream').toLowerCase();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await createFromStream(bed.firehose, name, StreamDescription!.StreamARN!, bucket);
    await put(StreamName, 0, 100);
    await bed.kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 127n).toString() }));
    await waitActive(bed.kinesis, StreamName);
    await put(StreamName, 100, 100);
    const delivered = await eventually(async () => {
      const keys = await bed.fh.runtime.objects.list(bucket).catch(() => []);
      const numbers = (await Promise.all(keys.map(async (k) => (await bed.fh.runtime.objects.get(bucket, k)).toString())))
        .join('')
        .split('\n')
        .filter(Boolean)
        .map(Number);
      return numbers.length >= 200 && numbers;
    }, 30_000);
    expect([...delivered].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i));
  });

  it('reads an encrypted (KMS) stream and delivers its records in plaintext', async () => {
    const StreamName = randomName('fh-kms');
    await createActiveStream(bed.kinesis, { StreamName, ShardCount: 1 });
    await bed.kinesis.send(new StartStreamEncryptionCommand({ StreamName, EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' }));
    await waitActive(bed.kinesis, StreamName);
    const { StreamDescription } = await bed.kinesis.send(new DescribeStreamCommand({ StreamName }));
    const name = randomName('fh-from-kms');
    const bucket = randomName('from-kms').toLowerCase();
    await createFromStream(bed.firehose, name, StreamDescription!.StreamARN!, bucket);
    await put(StreamName, 0, 20);
    const text = await eventually(async () => {
      const keys = await bed.fh.runtime.objects.list(bucket).catch(() => []);
      const all = (await Promise.all(keys.map(async (k) => (await bed.fh.runtime.objects.get(bucket, k)).toString()))).join('');
      return all.split('\n').filter(Boolean).length >= 20 && all;
    }, 20_000);
    expect(text.split('\n').filter(Boolean).map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
