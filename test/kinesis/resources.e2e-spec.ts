import {
  DeleteResourcePolicyCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetResourcePolicyCommand,
  GetShardIteratorCommand,
  ListTagsForResourceCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutRecordsCommand,
  PutResourcePolicyCommand,
  RegisterStreamConsumerCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateMaxRecordSizeCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { activeConsumer } from '../support/fan-out';
import { createActiveStream, expectAwsError } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const MIB = 1024 * 1024;

describe('resources by ARN and per-stream record size (SDK, h2c)', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;
  const StreamName = randomName('resources');
  let ResourceARN: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    kinesis = kinesisClient(platform.endpoint, 'h2c');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    ResourceARN = StreamDescriptionSummary!.StreamARN!;
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  const account = () => platform.config.accountId;

  describe('TagResource, UntagResource, ListTagsForResource', () => {
    it('tag the stream by ARN: the same tags ListTagsForStream sees', async () => {
      await kinesis.send(new TagResourceCommand({ ResourceARN, Tags: { team: 'data', env: 'test' } }));
      const { Tags } = await kinesis.send(new ListTagsForResourceCommand({ ResourceARN }));
      expect(Tags).toEqual([
        { Key: 'env', Value: 'test' },
        { Key: 'team', Value: 'data' },
      ]);
      await kinesis.send(new UntagResourceCommand({ ResourceARN, TagKeys: ['env'] }));
      const viaStream = await kinesis.send(new ListTagsForStreamCommand({ StreamName }));
      expect(viaStream.Tags).toEqual([{ Key: 'team', Value: 'data' }]);
    });

    it('tag a consumer by its ARN, starting with the tags it was registered with', async () => {
      const { Consumer } = await kinesis.send(
        new RegisterStreamConsumerCommand({ StreamARN: ResourceARN, ConsumerName: 'tagged', Tags: { owner: 'a' } }),
      );
      const ConsumerARN = Consumer!.ConsumerARN!;
      await kinesis.send(new TagResourceCommand({ ResourceARN: ConsumerARN, Tags: { tier: 'gold', owner: 'b' } }));
      await kinesis.send(new UntagResourceCommand({ ResourceARN: ConsumerARN, TagKeys: ['tier'] }));
      expect((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: ConsumerARN }))).Tags).toEqual([{ Key: 'owner', Value: 'b' }]);
      // The stream's own tags are apart from its consumers'.
      expect((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN }))).Tags).not.toContainEqual({ Key: 'owner', Value: 'b' });

      const other = await activeConsumer(kinesis, StreamName, 'untagged');
      expect((await kinesis.send(new ListTagsForResourceCommand({ ResourceARN: other }))).Tags).toEqual([]);
      await kinesis.send(new PutResourcePolicyCommand({ ResourceARN: other, Policy: '{"Version":"2012-10-17","Statement":[]}' }));
      expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN: other }))).Policy).toBe('{"Version":"2012-10-17","Statement":[]}');
      expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN }))).Policy).not.toContain('2012-10-17');
    });

    it('answer ResourceNotFoundException for a missing stream and for a consumer ARN no consumer has', async () => {
      const missing = `arn:aws:kinesis:us-east-1:${account()}:stream/${StreamName}-missing`;
      await expectAwsError(kinesis.send(new ListTagsForResourceCommand({ ResourceARN: missing })), 'ResourceNotFoundException');
      await expectAwsError(
        kinesis.send(new TagResourceCommand({ ResourceARN: `${ResourceARN}/consumer/c1:1700000000`, Tags: { a: 'b' } })),
        'ResourceNotFoundException',
      );
    });

    it('validate the ARN and the tag keys', async () => {
      await expectAwsError(
        kinesis.send(new ListTagsForResourceCommand({ ResourceARN: 'not-an-arn' })),
        'ValidationException',
        "1 validation error detected: Value 'not-an-arn' at 'resourceARN' failed to satisfy constraint: " +
          'Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
      );
      await expectAwsError(kinesis.send(new UntagResourceCommand({ ResourceARN, TagKeys: [] })), 'ValidationException');
    });
  });

  describe('PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy', () => {
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kinesis:GetRecords', Resource: '*' }],
    });

    it('store the policy and answer it back; none reads as {}', async () => {
      expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN }))).Policy).toBe('{}');
      await kinesis.send(new PutResourcePolicyCommand({ ResourceARN, Policy }));
      expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN }))).Policy).toBe(Policy);
      await kinesis.send(new DeleteResourcePolicyCommand({ ResourceARN }));
      expect((await kinesis.send(new GetResourcePolicyCommand({ ResourceARN }))).Policy).toBe('{}');
    });

    it('refuse a policy that is not JSON, and unknown resources', async () => {
      await expectAwsError(kinesis.send(new PutResourcePolicyCommand({ ResourceARN, Policy: '{oops' })), 'InvalidArgumentException');
      const missing = `arn:aws:kinesis:us-east-1:${account()}:stream/${StreamName}-missing`;
      await expectAwsError(kinesis.send(new GetResourcePolicyCommand({ ResourceARN: missing })), 'ResourceNotFoundException');
    });
  });

  describe('UpdateMaxRecordSize', () => {
    it('refuses sizes outside 1024-10240 KiB', async () => {
      await expectAwsError(
        kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: ResourceARN, MaxRecordSizeInKiB: 10241 })),
        'ValidationException',
        "1 validation error detected: Value '10241' at 'maxRecordSizeInKiB' failed to satisfy constraint: " +
          'Member must have value less than or equal to 10240',
      );
    });

    it('refuses a 10 MiB record before, takes and reads it back after raising the limit', async () => {
      const big = Buffer.alloc(10 * MIB, 7);
      big.write('first', 0);
      big.write('last', big.length - 4);
      await expectAwsError(
        kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'big', Data: big })),
        'ValidationException',
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=10485760 cap=10485760]' at 'data' " +
          'failed to satisfy constraint: Member must have length less than or equal to 1048576',
      );
      await kinesis.send(new UpdateMaxRecordSizeCommand({ StreamARN: ResourceARN, MaxRecordSizeInKiB: 10240 }));
      const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
      expect(StreamDescriptionSummary?.MaxRecordSizeInKiB).toBe(10240);

      const put = await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'big', Data: big }));
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({
          StreamName,
          ShardId: put.ShardId!,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          StartingSequenceNumber: put.SequenceNumber!,
        }),
      );
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      expect(Records![0].SequenceNumber).toBe(put.SequenceNumber);
      expect(Buffer.from(Records![0].Data!).equals(big)).toBe(true);

      // PutRecords may now carry up to 10 MiB in all (here 2 records of 4 MiB).
      const four = Buffer.alloc(4 * MIB, 1);
      const many = await kinesis.send(
        new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'a', Data: four }, { PartitionKey: 'b', Data: four }] }),
      );
      expect(many.FailedRecordCount).toBe(0);
    });
  });
});
