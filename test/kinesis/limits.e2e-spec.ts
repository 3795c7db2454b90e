import {
  DescribeLimitsCommand,
  DescribeStreamCommand,
  DisableEnhancedMonitoringCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordCommand,
  PutRecordsCommand,
  type PutRecordsResultEntry,
  UpdateStreamModeCommand,
} from '@aws-sdk/client-kinesis';
import { Platform } from '@shardline/streams';
import { createActiveStream, expectAwsError, readShard } from '../support/kinesis';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const KIB = 1024;
const SHARD = 'shardId-000000000000';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Per-shard throughput limits through the unmodified SDK (default h2c, no retries, so a
 * throttled call shows as the error itself), with small limits so each case takes ~2 s:
 * 100 records/s and 64 KiB/s in, 5 calls/s and 32 KiB/s out.
 */
describe('shard limits of a provisioned stream', () => {
  let test: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    test = await startTestPlatform({
      shardWriteRecordsPerSecond: 100,
      shardWriteBytesPerSecond: 64 * KIB,
      shardLimits: { enabled: true, readCallsPerSecond: 5, readBytesPerSecond: 32 * KIB },
    });
    kinesis = new KinesisClient({
      endpoint: test.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    kinesis.destroy();
    await test.close();
  });

  /** A new one-shard stream whose shard has an owner (its actor started, window seeded) in one of `platforms`. */
  async function newStream(mode: 'PROVISIONED' | 'ON_DEMAND' = 'PROVISIONED', platforms = [test.platform]): Promise<string> {
    const StreamName = randomName('limits');
    await createActiveStream(kinesis, mode === 'ON_DEMAND' ? { StreamName, StreamModeDetails: { StreamMode: 'ON_DEMAND' } } : { StreamName, ShardCount: 1 });
    const stream = await test.platform.repository.findByName(StreamName);
    const address = { streamId: stream!.id, shardIndex: 0 };
    while (!platforms.some((p) => p.local.get(address))) await sleep(20);
    return StreamName;
  }

  /** Puts `perTick` records every 100 ms for `ms`; answers every record's result. */
  async function putSteadily(StreamName: string, perTick: number, ms: number): Promise<PutRecordsResultEntry[]> {
    const results: PutRecordsResultEntry[] = [];
    const start = Date.now();
    for (let tick = 0; tick < ms / 100; tick++) {
      await sleep(Math.max(0, start + tick * 100 - Date.now()));
      const Records = Array.from({ length: perTick }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(`t${tick}-${i}`) }));
      results.push(...(await kinesis.send(new PutRecordsCommand({ StreamName, Records }))).Records!);
    }
    return results;
  }

  it('never throttles writes at 80 % of the limit', async () => {
    const StreamName = await newStream();
    const results = await putSteadily(StreamName, 8, 2000);
    expect(results.filter((r) => r.ErrorCode)).toEqual([]);
    expect(results).toHaveLength(160);
  });

  it('refuses about half at 200 %, per record with AWS error, and stores no more than the limit in any second', async () => {
    const StreamName = await newStream();
    const results = await putSteadily(StreamName, 20, 2000);
    const refused = results.filter((r) => r.ErrorCode);
    expect(refused.length).toBeGreaterThan(400 * 0.35);
    expect(refused.length).toBeLessThan(400 * 0.65);
    expect(refused[0]).toEqual({
      ErrorCode: 'ProvisionedThroughputExceededException',
      ErrorMessage: `Rate exceeded for shard ${SHARD} in stream ${StreamName} under account 000000000000.`,
    });

    // What was stored is what was acknowledged, and no 1-second span holds more than 100 records.
    const stored = await readShard(kinesis, StreamName, SHARD);
    expect(stored.map((r) => r.SequenceNumber)).toEqual(results.filter((r) => !r.ErrorCode).map((r) => r.SequenceNumber));
    const times = stored.map((r) => r.ApproximateArrivalTimestamp!.getTime());
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(100);
  });

  it('cuts a PutRecords by bytes, and throws the error itself from PutRecord', async () => {
    const StreamName = await newStream();
    const Records = Array.from({ length: 3 }, (_, i) => ({ PartitionKey: `p${i}`, Data: Buffer.alloc(30 * KIB, i) }));
    const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
    expect(answer.FailedRecordCount).toBe(1);
    expect(answer.Records!.map((r) => r.ErrorCode)).toEqual([undefined, undefined, 'ProvisionedThroughputExceededException']);

    const err = await expectAwsError(
      kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.alloc(10 * KIB) })),
      'ProvisionedThroughputExceededException',
      `Rate exceeded for shard ${SHARD} in stream ${StreamName} under account 000000000000.`,
    );
    expect(err.$metadata?.httpStatusCode).toBe(400);
    // A second later the shard takes writes again.
    await sleep(1000);
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.alloc(10 * KIB) }));
  });

  it('limits GetRecords to 5 calls per second per shard', async () => {
    const StreamName = await newStream();
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'LATEST' }));
    for (let i = 0; i < 5; i++) await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    await expectAwsError(
      kinesis.send(new GetRecordsCommand({ ShardIterator })),
      'ProvisionedThroughputExceededException',
      `Rate exceeded for shard ${SHARD} in stream ${StreamName} under account 000000000000.`,
    );
    await sleep(1000);
    await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  });

  it('refuses GetRecords until the bytes read are paid for at the read rate', async () => {
    const StreamName = await newStream();
    await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'p', Data: Buffer.alloc(60 * KIB, 7) }));
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' }));
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    expect(first.Records).toHaveLength(1);
    // 60 KiB against 32 KiB/s: about 0.9 s of debt.
    await expectAwsError(kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator })), 'ProvisionedThroughputExceededException');
    await sleep(500);
    await expectAwsError(kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator })), 'ProvisionedThroughputExceededException');
    await sleep(500);
    expect((await kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator }))).Records).toEqual([]);
  });

  it('does not throttle ON_DEMAND streams', async () => {
    const StreamName = await newStream('ON_DEMAND');
    const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: 'same-shard', Data: Buffer.from(`r${i}`) }));
    for (let i = 0; i < 3; i++) expect((await kinesis.send(new PutRecordsCommand({ StreamName, Records }))).FailedRecordCount).toBe(0);
    const shardId = (await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'same-shard', Data: Buffer.from('x') }))).ShardId!;
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: shardId, ShardIteratorType: 'LATEST' }));
    for (let i = 0; i < 8; i++) await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  });

  it('follows UpdateStreamMode at once, without moving the shard', async () => {
    const StreamName = await newStream();
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    const address = { streamId: (await test.platform.repository.findByName(StreamName))!.id, shardIndex: 0 };
    const actor = test.platform.local.get(address);
    const Records = Array.from({ length: 300 }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(`r${i}`) }));
    const putAndCountRefused = async () => (await kinesis.send(new PutRecordsCommand({ StreamName, Records }))).FailedRecordCount;
    const waitActive = async () => {
      while ((await kinesis.send(new DescribeStreamCommand({ StreamName }))).StreamDescription!.StreamStatus !== 'ACTIVE') await sleep(50);
    };

    await kinesis.send(new UpdateStreamModeCommand({ StreamARN: StreamDescription!.StreamARN, StreamModeDetails: { StreamMode: 'ON_DEMAND' } }));
    await waitActive();
    await sleep(1100);
    expect(await putAndCountRefused()).toBe(0);

    await kinesis.send(new UpdateStreamModeCommand({ StreamARN: StreamDescription!.StreamARN, StreamModeDetails: { StreamMode: 'PROVISIONED' } }));
    await waitActive();
    await sleep(1100);
    expect(await putAndCountRefused()).toBe(200);
    expect(test.platform.local.get(address)).toBe(actor);
  });

  it('stays exact when the shard moves to another owner within the second', async () => {
    // A second process's worth of shard actors on the same database (as a `shards` app).
    const other = await Platform.open(test.config, { gateway: false, shards: true });
    try {
      const StreamName = await newStream('PROVISIONED', [test.platform, other]);
      const streamId = (await test.platform.repository.findByName(StreamName))!.id;
      const address = { streamId, shardIndex: 0 };
      const put = (count: number, from: number) =>
        kinesis.send(
          new PutRecordsCommand({
            StreamName,
            Records: Array.from({ length: count }, (_, i) => ({ PartitionKey: 'p', Data: Buffer.from(`r${from + i}`) })),
          }),
        );
      const started = Date.now();
      expect((await put(80, 0)).FailedRecordCount).toBe(0);

      // The owner stops (as a process shutting down would); the other claims the shard at once.
      const [owner, next] = test.platform.local.get(address) ? [test.platform, other] : [other, test.platform];
      await owner.supervisor!.stop();
      while (!next.local.get(address)) await next.supervisor!.tick();

      const after = await put(50, 80);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(after.FailedRecordCount).toBe(30);
      expect(after.Records!.slice(0, 20).every((r) => r.SequenceNumber)).toBe(true);
      expect(after.Records!.slice(20).every((r) => r.ErrorCode === 'ProvisionedThroughputExceededException')).toBe(true);
      expect(await readShard(kinesis, StreamName, SHARD)).toHaveLength(100);
    } finally {
      await other.close();
    }
  }, 20_000);

  it('can be turned off for the whole platform', async () => {
    const unlimited = await startTestPlatform({ shardLimits: { ...test.config.shardLimits, enabled: false } });
    const client = new KinesisClient({ endpoint: unlimited.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
    try {
      const StreamName = randomName('unlimited');
      await createActiveStream(client, { StreamName, ShardCount: 1 });
      const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: 'p', Data: Buffer.alloc(200, i) }));
      for (let i = 0; i < 3; i++) expect((await client.send(new PutRecordsCommand({ StreamName, Records }))).FailedRecordCount).toBe(0);
      const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'LATEST' }));
      for (let i = 0; i < 10; i++) await client.send(new GetRecordsCommand({ ShardIterator }));
    } finally {
      client.destroy();
      await unlimited.close();
    }
  });
});

describe('DescribeLimits and enhanced monitoring', () => {
  let test: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    test = await startTestPlatform({ maxShards: 40, maxOnDemandStreams: 7 });
    kinesis = new KinesisClient({ endpoint: test.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    kinesis.destroy();
    await test.close();
  });

  it('describes the account limits and what is in use', async () => {
    expect(await kinesis.send(new DescribeLimitsCommand({}))).toMatchObject({
      ShardLimit: 40,
      OpenShardCount: 0,
      OnDemandStreamCount: 0,
      OnDemandStreamCountLimit: 7,
    });
    await createActiveStream(kinesis, { StreamName: randomName('dl'), ShardCount: 3 });
    await createActiveStream(kinesis, { StreamName: randomName('dl'), StreamModeDetails: { StreamMode: 'ON_DEMAND' } });
    const limits = await kinesis.send(new DescribeLimitsCommand({}));
    expect(limits.OnDemandStreamCount).toBe(1);
    expect(limits.OpenShardCount).toBeGreaterThanOrEqual(4);
  });

  it('enables and disables shard-level metrics, ALL included, and DescribeStream shows them', async () => {
    const StreamName = randomName('monitoring');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const enabled = await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['IncomingBytes', 'OutgoingRecords'] }));
    expect(enabled).toMatchObject({
      StreamName,
      StreamARN: `arn:aws:kinesis:us-east-1:000000000000:stream/${StreamName}`,
      CurrentShardLevelMetrics: [],
      DesiredShardLevelMetrics: ['IncomingBytes', 'OutgoingRecords'],
    });
    const describe = async () => (await kinesis.send(new DescribeStreamCommand({ StreamName }))).StreamDescription!.EnhancedMonitoring;
    expect(await describe()).toEqual([{ ShardLevelMetrics: ['IncomingBytes', 'OutgoingRecords'] }]);

    const all = await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['ALL'] }));
    expect(all.DesiredShardLevelMetrics).toHaveLength(7);
    const disabled = await kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['IncomingBytes', 'IteratorAgeMilliseconds'] }));
    expect(disabled.CurrentShardLevelMetrics).toHaveLength(7);
    expect(disabled.DesiredShardLevelMetrics).toEqual([
      'IncomingRecords',
      'OutgoingBytes',
      'OutgoingRecords',
      'WriteProvisionedThroughputExceeded',
      'ReadProvisionedThroughputExceeded',
    ]);
    await kinesis.send(new DisableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['ALL'] }));
    expect(await describe()).toEqual([{ ShardLevelMetrics: [] }]);
    await expectAwsError(
      kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: randomName('missing'), ShardLevelMetrics: ['ALL'] })),
      'ResourceNotFoundException',
    );
  });
});
