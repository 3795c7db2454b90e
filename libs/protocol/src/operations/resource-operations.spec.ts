import { FakeKinesisBackend } from './fake-backend';
import type { OperationContext } from './operation';
import { parseResourceArn } from './resource-arn';
import { failure, runNamed } from './testing';

const NOW = new Date('2024-01-01T00:00:00.123Z');
const ctx: OperationContext = { region: 'us-east-1', accountId: '123456789012', now: () => NOW };
const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';
const CONSUMER_ARN = `${ARN}/consumer/c1:1704067200`;
const MIB = 1048576;

const run = (backend: FakeKinesisBackend, name: string, body: Record<string, unknown>) => runNamed(backend, name, body, ctx);


function streamBackend(): FakeKinesisBackend {
  const backend = new FakeKinesisBackend(NOW);
  backend.addStream('s');
  return backend;
}

describe('parseResourceArn', () => {
  it('tells consumer ARNs from stream ARNs', () => {
    expect(parseResourceArn(ARN)).toEqual({ kind: 'stream', arn: ARN });
    expect(parseResourceArn(CONSUMER_ARN)).toEqual({ kind: 'consumer', arn: CONSUMER_ARN, streamArn: ARN, consumerName: 'c1' });
  });
});

describe('TagResource, UntagResource, ListTagsForResource', () => {
  it('tag a stream by ARN, list its tags ordered by key, and remove some', async () => {
    const backend = streamBackend();
    await expect(run(backend, 'TagResource', { ResourceARN: ARN, Tags: { b: '2', a: '1', c: '' } })).resolves.toEqual({});
    expect(await run(backend, 'ListTagsForResource', { ResourceARN: ARN })).toEqual({
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
        { Key: 'c', Value: '' },
      ],
    });
    await run(backend, 'UntagResource', { ResourceARN: ARN, TagKeys: ['a', 'missing'] });
    expect(await run(backend, 'ListTagsForStream', { StreamName: 's' })).toMatchObject({
      Tags: [
        { Key: 'b', Value: '2' },
        { Key: 'c', Value: '' },
      ],
    });
  });

  it('answer ResourceNotFoundException for an unknown stream and for consumers (none exist)', async () => {
    const backend = streamBackend();
    const other = 'arn:aws:kinesis:us-east-1:123456789012:stream/other';
    expect((await failure(run(backend, 'ListTagsForResource', { ResourceARN: other }))).type).toBe('ResourceNotFoundException');
    expect((await failure(run(backend, 'TagResource', { ResourceARN: CONSUMER_ARN, Tags: { a: '1' } }))).type).toBe(
      'ResourceNotFoundException',
    );
  });

  it('validate the ARN pattern, an empty tag map and the number of keys', async () => {
    const backend = streamBackend();
    expect(await failure(run(backend, 'ListTagsForResource', { ResourceARN: 'nope' }))).toEqual({
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'nope' at 'resourceARN' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+',
    });
    expect((await failure(run(backend, 'TagResource', { ResourceARN: ARN, Tags: {} }))).message).toContain(
      'Member must have length greater than or equal to 1',
    );
    const keys = Array.from({ length: 51 }, (_, i) => `k${i}`);
    expect((await failure(run(backend, 'UntagResource', { ResourceARN: ARN, TagKeys: keys }))).message).toContain(
      'Member must have length less than or equal to 50',
    );
  });

  it('refuse more than 50 tags in one call', async () => {
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect((await failure(run(streamBackend(), 'TagResource', { ResourceARN: ARN, Tags: tags }))).type).toBe(
      'InvalidArgumentException',
    );
  });
});

describe('resource policies', () => {
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [] });

  it('put, get and delete a stream policy; no policy reads as {}', async () => {
    const backend = streamBackend();
    expect(await run(backend, 'GetResourcePolicy', { ResourceARN: ARN })).toEqual({ Policy: '{}' });
    await expect(run(backend, 'PutResourcePolicy', { ResourceARN: ARN, Policy: policy })).resolves.toEqual({});
    expect(await run(backend, 'GetResourcePolicy', { ResourceARN: ARN })).toEqual({ Policy: policy });
    await run(backend, 'DeleteResourcePolicy', { ResourceARN: ARN });
    expect(await run(backend, 'GetResourcePolicy', { ResourceARN: ARN })).toEqual({ Policy: '{}' });
  });

  it('refuse a policy that is not a JSON object', async () => {
    const backend = streamBackend();
    for (const bad of ['{nope', '[1]', '"text"']) {
      expect((await failure(run(backend, 'PutResourcePolicy', { ResourceARN: ARN, Policy: bad }))).type).toBe(
        'InvalidArgumentException',
      );
    }
    expect(backend.policies.size).toBe(0);
  });

  it('requires Policy', async () => {
    expect((await failure(run(streamBackend(), 'PutResourcePolicy', { ResourceARN: ARN }))).message).toBe(
      "1 validation error detected: Value null at 'policy' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('UpdateMaxRecordSize and per-stream record sizes', () => {
  const data = (bytes: number) => Buffer.alloc(bytes).toString('base64');

  it('takes 1024-10240 KiB and shows it in DescribeStreamSummary', async () => {
    const backend = streamBackend();
    expect((await failure(run(backend, 'UpdateMaxRecordSize', { StreamARN: ARN, MaxRecordSizeInKiB: 1023 }))).message).toBe(
      "1 validation error detected: Value '1023' at 'maxRecordSizeInKiB' failed to satisfy constraint: " +
        'Member must have value greater than or equal to 1024',
    );
    expect((await failure(run(backend, 'UpdateMaxRecordSize', { StreamARN: ARN, MaxRecordSizeInKiB: 10241 }))).type).toBe(
      'ValidationException',
    );
    await run(backend, 'UpdateMaxRecordSize', { StreamARN: ARN, MaxRecordSizeInKiB: 10240 });
    expect(await run(backend, 'DescribeStreamSummary', { StreamARN: ARN })).toMatchObject({
      StreamDescriptionSummary: { MaxRecordSizeInKiB: 10240 },
    });
  });

  it('refuses a record above the stream limit with the table text, and takes it once raised', async () => {
    const backend = streamBackend();
    const put = { StreamName: 's', PartitionKey: 'p', Data: data(MIB + 1) };
    expect(await failure(run(backend, 'PutRecord', { ...put }))).toEqual({
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]' at 'data' " +
        'failed to satisfy constraint: Member must have length less than or equal to 1048576',
    });
    expect(backend.lastPut).toBeUndefined();
    await run(backend, 'UpdateMaxRecordSize', { StreamARN: ARN, MaxRecordSizeInKiB: 2048 });
    await expect(run(backend, 'PutRecord', { ...put })).resolves.toMatchObject({ ShardId: 'shardId-000000000000' });
    expect(await failure(run(backend, 'PutRecord', { ...put, Data: data(2 * MIB + 1) }))).toMatchObject({
      message: expect.stringContaining('Member must have length less than or equal to 2097152'),
    });
  });

  it('names the record in PutRecords and allows 10 MiB requests once raised', async () => {
    const backend = streamBackend();
    const records = [
      { Data: data(10), PartitionKey: 'a' },
      { Data: data(MIB + 1), PartitionKey: 'b' },
    ];
    expect((await failure(run(backend, 'PutRecords', { StreamName: 's', Records: records }))).message).toBe(
      "1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=1048577 cap=1048577]' at " +
        "'records.2.member.data' failed to satisfy constraint: Member must have length less than or equal to 1048576",
    );
    await run(backend, 'UpdateMaxRecordSize', { StreamARN: ARN, MaxRecordSizeInKiB: 10240 });
    const eight = Array.from({ length: 8 }, (_, i) => ({ Data: data(MIB), PartitionKey: `p${i}` }));
    await expect(run(backend, 'PutRecords', { StreamName: 's', Records: eight })).resolves.toMatchObject({ FailedRecordCount: 0 });
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Data: data(MIB), PartitionKey: `p${i}` }));
    expect(await failure(run(backend, 'PutRecords', { StreamName: 's', Records: eleven }))).toMatchObject({
      type: 'InvalidArgumentException',
      message: expect.stringContaining('exceeds the PutRecords request limit of 10485760 bytes'),
    });
  });
});
