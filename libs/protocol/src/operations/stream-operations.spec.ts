import { FakeKinesisBackend, evenShards } from './fake-backend';
import { kinesisOperations } from './index';
import type { OperationContext } from './operation';
import { failure, runNamed } from './testing';

const NOW = new Date('2024-01-01T00:00:00.123Z');
const ctx: OperationContext = { region: 'us-east-1', accountId: '123456789012', now: () => NOW };

const run = (backend: FakeKinesisBackend, name: string, body: Record<string, unknown>) => runNamed(backend, name, body, ctx);


describe('kinesisOperations', () => {
  it('lists every operation under its AWS name', () => {
    expect([...kinesisOperations.keys()].sort()).toEqual([
      'AddTagsToStream',
      'CreateStream',
      'DecreaseStreamRetentionPeriod',
      'DeleteResourcePolicy',
      'DeleteStream',
      'DeregisterStreamConsumer',
      'DescribeLimits',
      'DescribeStream',
      'DescribeStreamConsumer',
      'DescribeStreamSummary',
      'DisableEnhancedMonitoring',
      'EnableEnhancedMonitoring',
      'GetRecords',
      'GetResourcePolicy',
      'GetShardIterator',
      'IncreaseStreamRetentionPeriod',
      'ListShards',
      'ListStreamConsumers',
      'ListStreams',
      'ListTagsForResource',
      'ListTagsForStream',
      'MergeShards',
      'PutRecord',
      'PutRecords',
      'PutResourcePolicy',
      'RegisterStreamConsumer',
      'RemoveTagsFromStream',
      'SplitShard',
      'StartStreamEncryption',
      'StopStreamEncryption',
      'SubscribeToShard',
      'TagResource',
      'UntagResource',
      'UpdateMaxRecordSize',
      'UpdateShardCount',
      'UpdateStreamMode',
    ]);
  });

  it('runOperation validates before it executes', async () => {
    const backend = new FakeKinesisBackend(NOW);
    expect((await failure(run(backend, 'CreateStream', {}))).type).toBe('ValidationException');
    expect(backend.lastCreate).toBeUndefined();
  });
});

describe('CreateStream', () => {
  it('creates a PROVISIONED stream with the given shards and tags', async () => {
    const backend = new FakeKinesisBackend(NOW);
    expect(await run(backend, 'CreateStream', { StreamName: 's', ShardCount: 3, Tags: { b: '2', a: '1' } })).toEqual({});
    expect(backend.lastCreate).toEqual({
      name: 's',
      shardCount: 3,
      mode: 'PROVISIONED',
      tags: [
        { key: 'b', value: '2' },
        { key: 'a', value: '1' },
      ],
    });
  });

  it('creates an ON_DEMAND stream with 4 shards when no ShardCount is given', async () => {
    const backend = new FakeKinesisBackend(NOW);
    await run(backend, 'CreateStream', { StreamName: 's' });
    expect(backend.lastCreate).toEqual({ name: 's', shardCount: 4, mode: 'ON_DEMAND' });
  });

  it('honours StreamModeDetails', async () => {
    const backend = new FakeKinesisBackend(NOW);
    await run(backend, 'CreateStream', { StreamName: 's', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    expect(backend.lastCreate?.mode).toBe('ON_DEMAND');
  });

  it('refuses PROVISIONED without ShardCount', async () => {
    const backend = new FakeKinesisBackend(NOW);
    expect(await failure(run(backend, 'CreateStream', { StreamName: 's', StreamModeDetails: { StreamMode: 'PROVISIONED' } }))).toEqual({
      type: 'InvalidArgumentException',
      message: 'ShardCount must be provided when the StreamMode is PROVISIONED.',
    });
  });

  it('refuses more than 50 tags before creating anything', async () => {
    const backend = new FakeKinesisBackend(NOW);
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(await failure(run(backend, 'CreateStream', { StreamName: 's', ShardCount: 1, Tags: tags(51) }))).toEqual({
      type: 'InvalidArgumentException',
      message: 'Failed to create stream s under account 123456789012 because a given stream cannot have more than 50 tags.',
    });
    expect(backend.lastCreate).toBeUndefined();
    await run(backend, 'CreateStream', { StreamName: 's', ShardCount: 1, Tags: tags(50) });
    expect(backend.lastCreate?.tags).toHaveLength(50);
  });
});

describe('DeleteStream', () => {
  it('passes the reference and EnforceConsumerDeletion', async () => {
    const backend = new FakeKinesisBackend(NOW);
    const stream = backend.addStream('s');
    expect(await run(backend, 'DeleteStream', { StreamARN: stream.arn, EnforceConsumerDeletion: true })).toEqual({});
    expect(backend.lastDelete).toEqual({ ref: { arn: stream.arn }, enforce: true });
    expect(backend.streams.has('s')).toBe(false);
  });

  it('defaults EnforceConsumerDeletion to false', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    await run(backend, 'DeleteStream', { StreamName: 's' });
    expect(backend.lastDelete).toEqual({ ref: { name: 's' }, enforce: false });
  });
});

describe('DescribeStream', () => {
  it('answers the StreamDescription with decimal hash keys and epoch seconds', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s', evenShards(2), { enhancedMonitoring: ['IncomingBytes'], keyId: 'key' });
    const result = (await run(backend, 'DescribeStream', { StreamName: 's' })) as { StreamDescription: unknown };
    expect(result.StreamDescription).toEqual({
      StreamName: 's',
      StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      Shards: [
        {
          ShardId: 'shardId-000000000000',
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '170141183460469231731687303715884105727' },
          SequenceNumberRange: { StartingSequenceNumber: '00000' },
        },
        {
          ShardId: 'shardId-000000000001',
          HashKeyRange: {
            StartingHashKey: '170141183460469231731687303715884105728',
            EndingHashKey: '340282366920938463463374607431768211455',
          },
          SequenceNumberRange: { StartingSequenceNumber: '10000' },
        },
      ],
      HasMoreShards: false,
      RetentionPeriodHours: 24,
      StreamCreationTimestamp: 1704067200.123,
      EnhancedMonitoring: [{ ShardLevelMetrics: ['IncomingBytes'] }],
      EncryptionType: 'NONE',
      KeyId: 'key',
    });
  });

  it('shows parents and closed ranges of resharded shards', async () => {
    const backend = new FakeKinesisBackend(NOW);
    const [parent, other] = evenShards(2);
    const closed = { ...parent, status: 'CLOSED' as const, endingSequenceNumber: '999' };
    const child = { ...parent, shardId: 'shardId-000000000002', index: 2, parentShardId: parent.shardId, adjacentParentShardId: other.shardId };
    backend.addStream('s', [closed, other, child]);
    const result = (await run(backend, 'DescribeStream', { StreamName: 's' })) as { StreamDescription: { Shards: unknown[] } };
    expect(result.StreamDescription.Shards[0]).toMatchObject({
      SequenceNumberRange: { StartingSequenceNumber: '00000', EndingSequenceNumber: '999' },
    });
    expect(result.StreamDescription.Shards[2]).toMatchObject({
      ParentShardId: 'shardId-000000000000',
      AdjacentParentShardId: 'shardId-000000000001',
    });
  });

  it('pages with Limit and ExclusiveStartShardId', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s', evenShards(5));
    const page = (await run(backend, 'DescribeStream', { StreamName: 's', Limit: 2, ExclusiveStartShardId: 'shardId-000000000001' })) as {
      StreamDescription: { Shards: { ShardId: string }[]; HasMoreShards: boolean };
    };
    expect(page.StreamDescription.Shards.map((s) => s.ShardId)).toEqual(['shardId-000000000002', 'shardId-000000000003']);
    expect(page.StreamDescription.HasMoreShards).toBe(true);
  });

  it('answers at most 100 shards whatever the Limit', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s', evenShards(150));
    const page = (await run(backend, 'DescribeStream', { StreamName: 's', Limit: 10000 })) as {
      StreamDescription: { Shards: unknown[]; HasMoreShards: boolean };
    };
    expect(page.StreamDescription.Shards).toHaveLength(100);
    expect(page.StreamDescription.HasMoreShards).toBe(true);
  });
});

describe('DescribeStreamSummary', () => {
  it('counts open shards and consumers', async () => {
    const backend = new FakeKinesisBackend(NOW);
    const shards = evenShards(3);
    shards[0] = { ...shards[0], status: 'CLOSED' };
    backend.addStream('s', shards, { consumerCount: 2, mode: 'ON_DEMAND', retentionHours: 48 });
    expect(await run(backend, 'DescribeStreamSummary', { StreamName: 's' })).toEqual({
      StreamDescriptionSummary: {
        StreamName: 's',
        StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
        StreamStatus: 'ACTIVE',
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RetentionPeriodHours: 48,
        StreamCreationTimestamp: 1704067200.123,
        EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
        EncryptionType: 'NONE',
        OpenShardCount: 2,
        ConsumerCount: 2,
        MaxRecordSizeInKiB: 1024,
      },
    });
  });
});

describe('ListStreams', () => {
  type Page = { StreamNames: string[]; HasMoreStreams: boolean; NextToken?: string; StreamSummaries: unknown[] };

  it('answers names, summaries and HasMoreStreams', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('a');
    expect(await run(backend, 'ListStreams', {})).toEqual({
      StreamNames: ['a'],
      HasMoreStreams: false,
      StreamSummaries: [
        {
          StreamName: 'a',
          StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/a',
          StreamStatus: 'ACTIVE',
          StreamModeDetails: { StreamMode: 'PROVISIONED' },
          StreamCreationTimestamp: 1704067200.123,
        },
      ],
    });
    expect(backend.lastListStreams).toEqual({ limit: 100 });
  });

  it('continues with ExclusiveStartStreamName or NextToken', async () => {
    const backend = new FakeKinesisBackend(NOW);
    for (const name of ['a', 'b', 'c']) backend.addStream(name);
    const first = (await run(backend, 'ListStreams', { Limit: 1, ExclusiveStartStreamName: 'a' })) as Page;
    expect(first.StreamNames).toEqual(['b']);
    expect(first.HasMoreStreams).toBe(true);
    const second = (await run(backend, 'ListStreams', { NextToken: first.NextToken })) as Page;
    expect(second.StreamNames).toEqual(['c']);
    expect(second.HasMoreStreams).toBe(false);
    expect(second.NextToken).toBeUndefined();
  });
});

describe('retention', () => {
  it.each([
    ['IncreaseStreamRetentionPeriod', 'increase'],
    ['DecreaseStreamRetentionPeriod', 'decrease'],
  ])('%s asks the backend to %s', async (name, direction) => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    expect(await run(backend, name, { StreamName: 's', RetentionPeriodHours: 72 })).toEqual({});
    expect(backend.lastRetention).toEqual({ ref: { name: 's' }, hours: 72, direction });
  });

  it('refuses less than 24 hours in AWS words', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    expect(await failure(run(backend, 'DecreaseStreamRetentionPeriod', { StreamName: 's', RetentionPeriodHours: 23 }))).toEqual({
      type: 'InvalidArgumentException',
      message: 'Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.',
    });
    expect(backend.lastRetention).toBeUndefined();
  });
});

describe('tags', () => {
  it('adds, lists and removes tags', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    await run(backend, 'AddTagsToStream', { StreamName: 's', Tags: { b: '2', a: '1', c: '' } });
    expect(await run(backend, 'ListTagsForStream', { StreamName: 's' })).toEqual({
      Tags: [
        { Key: 'a', Value: '1' },
        { Key: 'b', Value: '2' },
        { Key: 'c', Value: '' },
      ],
      HasMoreTags: false,
    });
    await run(backend, 'RemoveTagsFromStream', { StreamName: 's', TagKeys: ['a'] });
    expect(backend.removedKeys).toEqual(['a']);
    expect(await run(backend, 'ListTagsForStream', { StreamName: 's' })).toMatchObject({ Tags: [{ Key: 'b' }, { Key: 'c' }] });
  });

  it('pages with ExclusiveStartTagKey and Limit', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    await run(backend, 'AddTagsToStream', { StreamName: 's', Tags: { a: '1', b: '2', c: '3' } });
    expect(await run(backend, 'ListTagsForStream', { StreamName: 's', ExclusiveStartTagKey: 'a', Limit: 1 })).toEqual({
      Tags: [{ Key: 'b', Value: '2' }],
      HasMoreTags: true,
    });
  });

  it('refuses more than 50 tags in one call', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    const tags = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(await failure(run(backend, 'AddTagsToStream', { StreamName: 's', Tags: tags }))).toEqual({
      type: 'InvalidArgumentException',
      message: 'Failed to add tags to stream s under account 123456789012 because a given stream cannot have more than 50 tags.',
    });
  });
});
