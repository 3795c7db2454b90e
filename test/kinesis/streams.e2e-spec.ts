import {
  AddTagsToStreamCommand,
  CreateStreamCommand,
  DecreaseStreamRetentionPeriodCommand,
  DeleteStreamCommand,
  DescribeStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  IncreaseStreamRetentionPeriodCommand,
  ListShardsCommand,
  ListStreamsCommand,
  ListTagsForStreamCommand,
  PutRecordCommand,
  PutRecordsCommand,
  RemoveTagsFromStreamCommand,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
  type KinesisClient,
  type Shard,
  type ShardFilter,
} from '@aws-sdk/client-kinesis';
import { createActiveStream, expectAwsError, readShard, waitActive } from '../support/kinesis';
import { kinesisClient, startTestPlatform, TRANSPORTS, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const ACCOUNT = '000000000000';
const HASH_SPACE = 1n << 128n;
const arnOf = (name: string) => `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/${name}`;
const shardId = (n: number) => `shardId-${String(n).padStart(12, '0')}`;

/** Asserts the shards split 0..2^128-1 evenly and contiguously, in shard id order. */
function expectEvenSplit(shards: Shard[], count: number): void {
  expect(shards.map((s) => s.ShardId)).toEqual(Array.from({ length: count }, (_, i) => shardId(i)));
  let next = 0n;
  for (const shard of shards) {
    const start = BigInt(shard.HashKeyRange!.StartingHashKey!);
    const end = BigInt(shard.HashKeyRange!.EndingHashKey!);
    expect(start).toBe(next);
    const size = end - start + 1n;
    const ideal = HASH_SPACE / BigInt(count);
    expect(size >= ideal - BigInt(count) && size <= ideal + BigInt(count)).toBe(true);
    next = end + 1n;
    expect(shard.SequenceNumberRange!.StartingSequenceNumber).toMatch(/^\d+$/);
    expect(shard.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();
    expect(shard.ParentShardId).toBeUndefined();
  }
  expect(next).toBe(HASH_SPACE);
}

describe.each(TRANSPORTS)('the control plane over %s', (transport) => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    // Long enough that the CREATING and DELETING states are seen on a loaded machine.
    platform = await startTestPlatform({ createDelayMs: 300, deleteDelayMs: 300 });
    kinesis = kinesisClient(platform.endpoint, transport);
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('creates a PROVISIONED stream: CREATING, then ACTIVE with its shards split evenly', async () => {
    const StreamName = randomName('prov');
    expect(await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 3 }))).toMatchObject({ $metadata: { httpStatusCode: 200 } });
    const creating = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    expect(creating.StreamDescriptionSummary!.StreamStatus).toBe('CREATING');
    const waited = await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });
    expect(waited.state).toBe('SUCCESS');
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    expect(StreamDescription).toMatchObject({
      StreamName,
      StreamARN: arnOf(StreamName),
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      HasMoreShards: false,
      RetentionPeriodHours: 24,
      EncryptionType: 'NONE',
    });
    expect(StreamDescription!.StreamCreationTimestamp).toBeInstanceOf(Date);
    expect(Math.abs(StreamDescription!.StreamCreationTimestamp!.getTime() - Date.now())).toBeLessThan(60_000);
    expectEvenSplit(StreamDescription!.Shards!, 3);
  });

  it('creates an ON_DEMAND stream with 4 shards through StreamModeDetails', async () => {
    const StreamName = randomName('ondemand');
    await createActiveStream(kinesis, { StreamName, StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    expect(StreamDescriptionSummary).toMatchObject({ StreamModeDetails: { StreamMode: 'ON_DEMAND' }, OpenShardCount: 4 });
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
    expectEvenSplit(Shards!, 4);
  });

  it.each([1, 2, 5, 7])('splits the hash key space evenly over %i shards', async (count) => {
    const StreamName = randomName('split');
    await createActiveStream(kinesis, { StreamName, ShardCount: count });
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
    expectEvenSplit(Shards!, count);
  });

  it('pages DescribeStream with Limit, ExclusiveStartShardId and HasMoreShards', async () => {
    const StreamName = randomName('describe');
    await createActiveStream(kinesis, { StreamName, ShardCount: 5 });
    const page = async (Limit: number, ExclusiveStartShardId?: string) => {
      const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName, Limit, ExclusiveStartShardId }));
      return { ids: StreamDescription!.Shards!.map((s) => s.ShardId), more: StreamDescription!.HasMoreShards };
    };
    expect(await page(2)).toEqual({ ids: [shardId(0), shardId(1)], more: true });
    expect(await page(2, shardId(1))).toEqual({ ids: [shardId(2), shardId(3)], more: true });
    expect(await page(2, shardId(3))).toEqual({ ids: [shardId(4)], more: false });
    expect(await page(5)).toEqual({ ids: [0, 1, 2, 3, 4].map(shardId), more: false });
    expect(await page(4)).toEqual({ ids: [0, 1, 2, 3].map(shardId), more: true });
    expect(await page(10, shardId(4))).toEqual({ ids: [], more: false });
  });

  it('answers DescribeStreamSummary with the open shard count, 24 hours of retention and the ARN', async () => {
    const StreamName = randomName('summary');
    await createActiveStream(kinesis, { StreamName, ShardCount: 3 });
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    expect(StreamDescriptionSummary).toMatchObject({
      StreamName,
      StreamARN: arnOf(StreamName),
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      OpenShardCount: 3,
      RetentionPeriodHours: 24,
      ConsumerCount: 0,
      EncryptionType: 'NONE',
    });
  });

  it('pages ListStreams with Limit, ExclusiveStartStreamName, NextToken and HasMoreStreams', async () => {
    const prefix = randomName('list');
    const names = ['a', 'b', 'c', 'd', 'e'].map((suffix) => `${prefix}-${suffix}`);
    await Promise.all(names.map((StreamName) => kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }))));
    await Promise.all(names.map((StreamName) => waitActive(kinesis, StreamName)));

    // Through ExclusiveStartStreamName: the page after the name, in name order.
    const afterFirst = await kinesis.send(new ListStreamsCommand({ ExclusiveStartStreamName: names[0], Limit: 2 }));
    expect(afterFirst.StreamNames).toEqual([names[1], names[2]]);
    expect(afterFirst.HasMoreStreams).toBe(true);
    expect(afterFirst.StreamSummaries!.map((s) => s.StreamName)).toEqual([names[1], names[2]]);
    expect(afterFirst.StreamSummaries![0]).toMatchObject({
      StreamARN: arnOf(names[1]),
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
    });
    expect(afterFirst.StreamSummaries![0].StreamCreationTimestamp).toBeInstanceOf(Date);
    const last = await kinesis.send(new ListStreamsCommand({ ExclusiveStartStreamName: names[3] }));
    expect(last.StreamNames).toContain(names[4]);
    expect(last.StreamNames).not.toContain(names[3]);

    // Through NextToken: every stream once, in order, HasMoreStreams true until the last page.
    const seen: string[] = [];
    let answer = await kinesis.send(new ListStreamsCommand({ Limit: 2 }));
    for (;;) {
      expect(answer.StreamNames!.length).toBeLessThanOrEqual(2);
      seen.push(...answer.StreamNames!);
      if (!answer.HasMoreStreams) break;
      expect(answer.StreamNames).toHaveLength(2);
      expect(answer.NextToken).toEqual(expect.any(String));
      answer = await kinesis.send(new ListStreamsCommand({ NextToken: answer.NextToken, Limit: 2 }));
    }
    expect(answer.NextToken).toBeUndefined();
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(seen);
    expect(seen.filter((name) => name.startsWith(prefix))).toEqual(names);
    const all = await kinesis.send(new ListStreamsCommand({}));
    expect(all.StreamNames).toEqual(seen);
    expect(all.HasMoreStreams).toBe(false);
  });

  it('pages ListShards with MaxResults and NextToken, and filters with ShardFilter', async () => {
    const StreamName = randomName('shards');
    await createActiveStream(kinesis, { StreamName, ShardCount: 5 });
    const ids: string[] = [];
    let answer = await kinesis.send(new ListShardsCommand({ StreamName, MaxResults: 2 }));
    const pages = [answer.Shards!.map((s) => s.ShardId!)];
    while (answer.NextToken) {
      answer = await kinesis.send(new ListShardsCommand({ NextToken: answer.NextToken, MaxResults: 2 }));
      pages.push(answer.Shards!.map((s) => s.ShardId!));
    }
    pages.forEach((page) => ids.push(...page));
    expect(pages).toEqual([[shardId(0), shardId(1)], [shardId(2), shardId(3)], [shardId(4)]]);

    const filtered = async (ShardFilter: ShardFilter) =>
      (await kinesis.send(new ListShardsCommand({ StreamName, ShardFilter }))).Shards!.map((s) => s.ShardId);
    expect(await filtered({ Type: 'AT_LATEST' })).toEqual(ids);
    expect(await filtered({ Type: 'AT_TRIM_HORIZON' })).toEqual(ids);
    expect(await filtered({ Type: 'FROM_TRIM_HORIZON' })).toEqual(ids);
    expect(await filtered({ Type: 'AFTER_SHARD_ID', ShardId: shardId(2) })).toEqual([shardId(3), shardId(4)]);
    expect(await filtered({ Type: 'AFTER_SHARD_ID', ShardId: shardId(4) })).toEqual([]);

    // A filtered listing pages too, and the token keeps the filter.
    const first = await kinesis.send(
      new ListShardsCommand({ StreamName, MaxResults: 1, ShardFilter: { Type: 'AFTER_SHARD_ID', ShardId: shardId(2) } }),
    );
    expect(first.Shards!.map((s) => s.ShardId)).toEqual([shardId(3)]);
    const second = await kinesis.send(new ListShardsCommand({ NextToken: first.NextToken, MaxResults: 5 }));
    expect(second.Shards!.map((s) => s.ShardId)).toEqual([shardId(4)]);
    expect(second.NextToken).toBeUndefined();
    // ExclusiveStartShardId without a filter.
    const after = await kinesis.send(new ListShardsCommand({ StreamName, ExclusiveStartShardId: shardId(3) }));
    expect(after.Shards!.map((s) => s.ShardId)).toEqual([shardId(4)]);
  });

  it('reflects Increase/DecreaseStreamRetentionPeriod in DescribeStreamSummary', async () => {
    const StreamName = randomName('retention');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const retention = async () =>
      (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!.RetentionPeriodHours;
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 168 }));
    expect(await retention()).toBe(168);
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 8760 }));
    expect(await retention()).toBe(8760);
    await kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 48 }));
    expect(await retention()).toBe(48);
    // Setting the current value either way is allowed.
    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 48 }));
    await kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamName, RetentionPeriodHours: 24 }));
    expect(await retention()).toBe(24);
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    expect(StreamDescription!.RetentionPeriodHours).toBe(24);
  });

  it('adds, lists (paged) and removes tags', async () => {
    const StreamName = randomName('tags');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1, Tags: { created: 'yes' } });
    await kinesis.send(new AddTagsToStreamCommand({ StreamName, Tags: { env: 'test', team: 'data', app: 'shardline', empty: '' } }));
    const all = await kinesis.send(new ListTagsForStreamCommand({ StreamName }));
    expect(all.HasMoreTags).toBe(false);
    expect(all.Tags).toEqual([
      { Key: 'app', Value: 'shardline' },
      { Key: 'created', Value: 'yes' },
      { Key: 'empty', Value: '' },
      { Key: 'env', Value: 'test' },
      { Key: 'team', Value: 'data' },
    ]);
    const page1 = await kinesis.send(new ListTagsForStreamCommand({ StreamName, Limit: 2 }));
    expect(page1.Tags!.map((t) => t.Key)).toEqual(['app', 'created']);
    expect(page1.HasMoreTags).toBe(true);
    const page2 = await kinesis.send(new ListTagsForStreamCommand({ StreamName, Limit: 2, ExclusiveStartTagKey: 'created' }));
    expect(page2.Tags!.map((t) => t.Key)).toEqual(['empty', 'env']);
    expect(page2.HasMoreTags).toBe(true);
    const page3 = await kinesis.send(new ListTagsForStreamCommand({ StreamName, Limit: 2, ExclusiveStartTagKey: 'env' }));
    expect(page3.Tags).toEqual([{ Key: 'team', Value: 'data' }]);
    expect(page3.HasMoreTags).toBe(false);

    // Re-adding a key overwrites its value; removing unknown keys is fine.
    await kinesis.send(new AddTagsToStreamCommand({ StreamName, Tags: { env: 'prod' } }));
    await kinesis.send(new RemoveTagsFromStreamCommand({ StreamName, TagKeys: ['team', 'app', 'no-such-key'] }));
    const after = await kinesis.send(new ListTagsForStreamCommand({ StreamName }));
    expect(after.Tags).toEqual([
      { Key: 'created', Value: 'yes' },
      { Key: 'empty', Value: '' },
      { Key: 'env', Value: 'prod' },
    ]);
  });

  it('accepts the StreamARN instead of the StreamName on every operation that takes one', async () => {
    const StreamName = randomName('arn');
    const StreamARN = arnOf(StreamName);
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });

    const summary = await kinesis.send(new DescribeStreamSummaryCommand({ StreamARN }));
    expect(summary.StreamDescriptionSummary!.StreamName).toBe(StreamName);
    const described = await kinesis.send(new DescribeStreamCommand({ StreamARN, Limit: 1 }));
    expect(described.StreamDescription).toMatchObject({ StreamName, HasMoreShards: true });
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamARN }));
    expect(Shards!.map((s) => s.ShardId)).toEqual([shardId(0), shardId(1)]);

    const one = await kinesis.send(new PutRecordCommand({ StreamARN, PartitionKey: 'p', ExplicitHashKey: '0', Data: Buffer.from('one') }));
    expect(one.ShardId).toBe(shardId(0));
    const batch = await kinesis.send(
      new PutRecordsCommand({ StreamARN, Records: [{ PartitionKey: 'p', ExplicitHashKey: '0', Data: Buffer.from('two') }] }),
    );
    expect(batch.FailedRecordCount).toBe(0);
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamARN, ShardId: shardId(0), ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const records = await kinesis.send(new GetRecordsCommand({ StreamARN, ShardIterator }));
    expect(records.Records!.map((r) => Buffer.from(r.Data!).toString())).toEqual(['one', 'two']);

    await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamARN, RetentionPeriodHours: 72 }));
    await kinesis.send(new DecreaseStreamRetentionPeriodCommand({ StreamARN, RetentionPeriodHours: 48 }));
    expect((await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!.RetentionPeriodHours).toBe(48);

    await kinesis.send(new AddTagsToStreamCommand({ StreamARN, Tags: { a: '1', b: '2' } }));
    await kinesis.send(new RemoveTagsFromStreamCommand({ StreamARN, TagKeys: ['a'] }));
    expect((await kinesis.send(new ListTagsForStreamCommand({ StreamARN }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);

    // An ARN of another region or account names no stream of this one.
    await expectAwsError(
      kinesis.send(new DescribeStreamSummaryCommand({ StreamARN: `arn:aws:kinesis:eu-west-1:${ACCOUNT}:stream/${StreamName}` })),
      'ResourceNotFoundException',
    );

    await kinesis.send(new DeleteStreamCommand({ StreamARN }));
    await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });
  });

  it('deletes a stream: DELETING, then gone, and the name can be used again', async () => {
    const StreamName = randomName('delete');
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', ExplicitHashKey: '0', Data: Buffer.from('old') }));
    await kinesis.send(new DeleteStreamCommand({ StreamName }));
    const deleting = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    expect(deleting.StreamDescriptionSummary!.StreamStatus).toBe('DELETING');
    await expectAwsError(
      kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from('late') })),
      'ResourceNotFoundException',
    );
    const waited = await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });
    expect(waited.state).toBe('SUCCESS');
    await expectAwsError(
      kinesis.send(new DescribeStreamCommand({ StreamName })),
      'ResourceNotFoundException',
      `Stream ${StreamName} under account ${ACCOUNT} not found.`,
    );
    expect((await kinesis.send(new ListStreamsCommand({}))).StreamNames).not.toContain(StreamName);

    // The same name again: a new, empty stream.
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    expect(StreamDescription!.Shards).toHaveLength(1);
    expect(await readShard(kinesis, StreamName, shardId(0))).toEqual([]);
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from('new') }));
    expect((await readShard(kinesis, StreamName, shardId(0))).map((r) => Buffer.from(r.Data!).toString())).toEqual(['new']);
  });

  it('answers ResourceNotFoundException to PutRecord and PutRecords on a missing stream', async () => {
    const StreamName = randomName('missing');
    await expectAwsError(
      kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.from('x') })),
      'ResourceNotFoundException',
      `Stream ${StreamName} under account ${ACCOUNT} not found.`,
    );
    await expectAwsError(
      kinesis.send(new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'p', Data: Buffer.from('x') }] })),
      'ResourceNotFoundException',
    );
  });
});
