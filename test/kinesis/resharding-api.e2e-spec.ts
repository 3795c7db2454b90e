import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  ListShardsCommand,
  MergeShardsCommand,
  PutRecordsCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  UpdateStreamModeCommand,
  type ShardFilter,
} from '@aws-sdk/client-kinesis';
import { createActiveStream, expectAwsError, waitActive } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { expectExactlyOnceInOrder, listAllShards, PutLoad, readStreamByLineage } from '../support/resharding';

const HALF = (1n << 127n).toString();
const ACCOUNT = '000000000000';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const id = (n: number) => `shardId-${String(n).padStart(12, '0')}`;

/**
 * The SDK retries LimitExceededException as throttling (three attempts with backoff); these
 * tests check the error itself, so one attempt each.
 */
function singleAttemptClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
}

async function streamSummary(kinesis: KinesisClient, StreamName: string) {
  return (await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }))).StreamDescriptionSummary!;
}

describe('resharding API', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ updateDelayMs: 300, createDelayMs: 300, maxScalingOperationsPerDay: 2 });
    kinesis = singleAttemptClient(platform.endpoint);
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('answers AWS errors for invalid splits and merges', async () => {
    const StreamName = randomName('reshard-errors');
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 3 }));
    await expectAwsError(
      kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: id(0), NewStartingHashKey: '100' })),
      'ResourceInUseException',
      `Stream ${StreamName} under account ${ACCOUNT} not ACTIVE, instead in state CREATING`,
    );
    await waitActive(kinesis, StreamName);
    await expectAwsError(
      kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: id(9), NewStartingHashKey: '100' })),
      'ResourceNotFoundException',
      `Could not find shard ${id(9)} in stream ${StreamName} under account ${ACCOUNT}.`,
    );
    const shards = await listAllShards(kinesis, StreamName);
    const { StartingHashKey, EndingHashKey } = shards[0]!.HashKeyRange!;
    await expectAwsError(
      kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: id(0), NewStartingHashKey: EndingHashKey })),
      'InvalidArgumentException',
      `NewStartingHashKey ${EndingHashKey} used in SplitShard() on shard ${id(0)} in stream ${StreamName} under account ` +
        `${ACCOUNT} is not both greater than one plus the shard's StartingHashKey ${StartingHashKey} and less than the ` +
        `shard's EndingHashKey ${EndingHashKey}.`,
    );
    await expectAwsError(
      kinesis.send(new MergeShardsCommand({ StreamName, ShardToMerge: id(0), AdjacentShardToMerge: id(2) })),
      'InvalidArgumentException',
      `Shards ${id(0)} and ${id(2)} in stream ${StreamName} under account ${ACCOUNT} are not an adjacent pair of shards ` +
        `eligible for merging`,
    );

    await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: id(0), NewStartingHashKey: '1000' }));
    await expectAwsError(
      kinesis.send(new MergeShardsCommand({ StreamName, ShardToMerge: id(1), AdjacentShardToMerge: id(2) })),
      'ResourceInUseException',
      `Stream ${StreamName} under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`,
    );
    await waitActive(kinesis, StreamName);
    const closed = `Shard ${id(0)} in stream ${StreamName} under account ${ACCOUNT} has already been merged or split, and thus is not eligible for merging or splitting.`;
    await expectAwsError(
      kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: id(0), NewStartingHashKey: '100' })),
      'InvalidArgumentException',
      closed,
    );
    await expectAwsError(
      kinesis.send(new MergeShardsCommand({ StreamName, ShardToMerge: id(0), AdjacentShardToMerge: id(1) })),
      'InvalidArgumentException',
      closed,
    );
  });

  it('UpdateShardCount keeps within double and half of the open shards, and to N calls a day', async () => {
    const StreamName = randomName('scale-limits');
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });
    const update = (TargetShardCount: number) =>
      kinesis.send(new UpdateShardCountCommand({ StreamName, TargetShardCount, ScalingType: 'UNIFORM_SCALING' }));
    await expectAwsError(
      update(5),
      'LimitExceededException',
      'UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2 Target shard count: 5',
    );
    await update(4);
    await expectAwsError(update(3), 'ResourceInUseException', `Stream ${StreamName} under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`);
    await waitActive(kinesis, StreamName);
    await expectAwsError(
      update(1),
      'LimitExceededException',
      'UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: 4 Target shard count: 1',
    );
    await update(2);
    await waitActive(kinesis, StreamName);
    // the platform allows 2 scaling operations per rolling day
    await expectAwsError(
      update(3),
      'LimitExceededException',
      `Exceeded the number of UpdateShardCount calls allowed for stream ${StreamName} under account ${ACCOUNT}: 2 per rolling 24 hour period.`,
    );
    expect((await streamSummary(kinesis, StreamName)).OpenShardCount).toBe(2);
  });

  it('ListShards filters pick the shards AWS documents for each type', async () => {
    const StreamName = randomName('filters');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    await sleep(20);
    const beforeSplit = new Date();
    await sleep(20);
    await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: id(0), NewStartingHashKey: HALF }));
    await waitActive(kinesis, StreamName);
    await sleep(20);
    const afterSplit = new Date();
    const list = async (ShardFilter?: ShardFilter) =>
      (await kinesis.send(new ListShardsCommand({ StreamName, ShardFilter }))).Shards!.map((s) => s.ShardId);

    expect(await list()).toEqual([id(0), id(1), id(2)]);
    expect(await list({ Type: 'AT_LATEST' })).toEqual([id(1), id(2)]);
    expect(await list({ Type: 'AT_TRIM_HORIZON' })).toEqual([id(0)]);
    expect(await list({ Type: 'FROM_TRIM_HORIZON' })).toEqual([id(0), id(1), id(2)]);
    expect(await list({ Type: 'AFTER_SHARD_ID', ShardId: id(0) })).toEqual([id(1), id(2)]);
    expect(await list({ Type: 'AFTER_SHARD_ID', ShardId: id(1) })).toEqual([id(2)]);
    expect(await list({ Type: 'AT_TIMESTAMP', Timestamp: beforeSplit })).toEqual([id(0)]);
    expect(await list({ Type: 'AT_TIMESTAMP', Timestamp: afterSplit })).toEqual([id(1), id(2)]);
    expect(await list({ Type: 'FROM_TIMESTAMP', Timestamp: beforeSplit })).toEqual([id(0), id(1), id(2)]);
    expect(await list({ Type: 'FROM_TIMESTAMP', Timestamp: afterSplit })).toEqual([id(1), id(2)]);
    // before the trim horizon (here: the stream's creation) counts as the trim horizon
    expect(await list({ Type: 'AT_TIMESTAMP', Timestamp: new Date(0) })).toEqual([id(0)]);
  });

  it('UpdateStreamMode switches PROVISIONED <-> ON_DEMAND through UPDATING', async () => {
    const StreamName = randomName('mode');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const { StreamARN } = await streamSummary(kinesis, StreamName);
    await kinesis.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    expect(await streamSummary(kinesis, StreamName)).toMatchObject({ StreamStatus: 'UPDATING', StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    await expectAwsError(
      kinesis.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: 'PROVISIONED' } })),
      'ResourceInUseException',
      `Stream ${StreamName} under account ${ACCOUNT} not ACTIVE, instead in state UPDATING`,
    );
    await waitActive(kinesis, StreamName);
    await kinesis.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: 'PROVISIONED' } }));
    await waitActive(kinesis, StreamName);
    expect((await streamSummary(kinesis, StreamName)).StreamModeDetails).toEqual({ StreamMode: 'PROVISIONED' });
  });
});

describe('the account shard limit counts the open shards after a reshard', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ updateDelayMs: 50, maxShards: 3 });
    kinesis = singleAttemptClient(platform.endpoint);
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('refuses a split or a scaling beyond it, and allows merges', async () => {
    const StreamName = randomName('shard-limit');
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });
    await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: id(0), NewStartingHashKey: '1000' }));
    await waitActive(kinesis, StreamName);
    const limit = (n: number) =>
      `This request would exceed the shard limit for the account ${ACCOUNT} in us-east-1. Current limit of shards is 3. ` +
      `Number of additional shards that would have resulted in exceeding the shard limit is ${n}.`;
    await expectAwsError(kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: id(1), NewStartingHashKey: '100' })), 'LimitExceededException', limit(1));
    await expectAwsError(
      kinesis.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' })),
      'LimitExceededException',
      limit(1),
    );
    await kinesis.send(new MergeShardsCommand({ StreamName, ShardToMerge: id(3), AdjacentShardToMerge: id(1) }));
    await waitActive(kinesis, StreamName);
    expect((await streamSummary(kinesis, StreamName)).OpenShardCount).toBe(2);
  });
});

describe('a reshard that dies after sealing', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ reshardHoldMs: 400 });
    kinesis = kinesisClient(platform.endpoint, 'h2c');
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('leaves the parent open: its actor takes appends again once the hold on the stream expires', async () => {
    const StreamName = randomName('dead-reshard');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'a', Data: Buffer.from('before') }] }));
    // what a reshard does before it dies: hold the stream, seal the shard's actor
    const stream = (await platform.platform.repository.findByName(StreamName))!;
    expect(await platform.platform.repository.beginUpdate(stream.id, new Date(Date.now() + 400))).toBe(true);
    const actor = platform.platform.local.all().find((a) => a.shard.streamId === stream.id)!;
    await actor.seal();

    const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records: [{ PartitionKey: 'a', Data: Buffer.from('after') }] }));
    expect(answer.FailedRecordCount).toBe(0);
    expect(actor.status).toBe('running');
    expect((await streamSummary(kinesis, StreamName)).StreamStatus).toBe('ACTIVE');
    expect((await listAllShards(kinesis, StreamName)).map((s) => s.SequenceNumberRange!.EndingSequenceNumber)).toEqual([undefined]);
  });
});

describe('ON_DEMAND streams split hot shards by themselves', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    // a shard is hot above 50 records/s sustained for 2 s
    platform = await startTestPlatform({ updateDelayMs: 50, shardWriteRecordsPerSecond: 100, onDemandSplitWindowMs: 2000 });
    kinesis = kinesisClient(platform.endpoint, 'h2c');
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  it('splits a hot ON_DEMAND shard at the middle of its range, losing nothing; a PROVISIONED one stays', async () => {
    const onDemand = randomName('on-demand');
    const provisioned = randomName('provisioned');
    await createActiveStream(kinesis, { StreamName: onDemand, ShardCount: 1 });
    await createActiveStream(kinesis, { StreamName: provisioned, ShardCount: 1 });
    const { StreamARN } = await streamSummary(kinesis, onDemand);
    await kinesis.send(new UpdateStreamModeCommand({ StreamARN, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    await waitActive(kinesis, onDemand);

    const loads = [new PutLoad(kinesis, onDemand, 16, 20, 40).start(), new PutLoad(kinesis, provisioned, 16, 20, 40).start()];
    const deadline = Date.now() + 12_000;
    while ((await listAllShards(kinesis, onDemand)).length < 3 && Date.now() < deadline) await sleep(200);
    await waitActive(kinesis, onDemand);
    await sleep(200);
    await Promise.all(loads.map((l) => l.stop()));

    const shards = await listAllShards(kinesis, onDemand);
    expect(shards.slice(0, 3).map((s) => [s.ShardId, s.ParentShardId, s.HashKeyRange!.StartingHashKey])).toEqual([
      [id(0), undefined, '0'],
      [id(1), id(0), '0'],
      [id(2), id(0), HALF],
    ]);
    expect(await listAllShards(kinesis, provisioned)).toHaveLength(1);
    expect(loads[0]!.failed).toBe(0);
    expectExactlyOnceInOrder(await readStreamByLineage(kinesis, onDemand), loads[0]!.acked);
  });
});
