/**
 * The Prometheus endpoints of every app: the named series on GET /metrics move as the
 * unmodified AWS SDKs put, read, get throttled, subscribe and deliver; the shards and
 * firehose apps serve /metrics and health on a port of their own; an analytics application
 * started behind its input shows its lag and counts its records.
 */
import {
  DeleteStreamCommand,
  EnableEnhancedMonitoringCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrometheusText } from '@shardline/telemetry';
import { removeShardStorage } from '../support/cleanup';
import { dropDatabase, scratchDatabaseUrl } from '../support/database';
import { activeConsumer, recordsOf, subscribe } from '../support/fan-out';
import { eventually, startTestFirehose, type TestFirehose } from '../support/firehose';
import { createActiveStream } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { freePort, startApp, type AppProcess } from '../support/processes';
import { randomName } from '../support/random-name';
import { createActive, rest } from '../support/rest';
import { startTestAnalytics } from '../support/analytics';
import type { AnalyticsRuntime } from '@shardline/analytics';
import { firehoseClient, removeDeliveryStorage, ROLE_ARN, waitStatus } from '../firehose/support';

const SHARD = 'shardId-000000000000';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET /metrics parsed into samples (`name{labels}` → value). */
async function scrape(base: string): Promise<Map<string, number>> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

describe('GET /metrics on the gateway (one process, shard limits on)', () => {
  let sl: TestPlatform;
  let fh: TestFirehose;
  let kinesis: KinesisClient;
  let firehose: FirehoseClient;

  beforeAll(async () => {
    // 100 records/s in and 5 GetRecords calls/s out per shard: a test throttles in one call.
    sl = await startTestPlatform({
      shardWriteRecordsPerSecond: 100,
      shardLimits: { enabled: true, readCallsPerSecond: 5, readBytesPerSecond: 2 * 1024 * 1024 },
    });
    fh = await startTestFirehose(sl);
    kinesis = new KinesisClient({
      endpoint: sl.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      maxAttempts: 1,
    });
    firehose = firehoseClient(sl.endpoint);
  });
  afterAll(async () => {
    kinesis.destroy();
    firehose.destroy();
    await fh.close();
    await removeDeliveryStorage(sl.config.databaseUrl);
    await sl.close();
  });

  /** A new one-shard provisioned stream whose shard has its actor running. */
  async function newStream(): Promise<string> {
    const StreamName = randomName('metrics');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const stream = await sl.platform.repository.findByName(StreamName);
    while (!sl.platform.local.get({ streamId: stream!.id, shardIndex: 0 })) await sleep(20);
    return StreamName;
  }

  const records = (n: number, size = 10) => Array.from({ length: n }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.alloc(size, i) }));

  it('counts records and bytes put, put latency, and records refused by the write limit', async () => {
    const StreamName = await newStream();
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: records(10) }));
    let samples = await scrape(sl.endpoint);
    expect(samples.get(`kinesis_incoming_records_total{stream="${StreamName}"}`)).toBe(10);
    expect(samples.get(`kinesis_incoming_bytes_total{stream="${StreamName}"}`)).toBe(100);
    expect(samples.get(`kinesis_put_records_latency_seconds_count{stream="${StreamName}"}`)).toBe(1);
    expect(samples.get(`kinesis_put_records_latency_seconds_sum{stream="${StreamName}"}`)).toBeGreaterThan(0);
    expect(samples.get('shardline_owned_shards')).toBeGreaterThanOrEqual(1);

    // 300 records in one call on a 100 records/s shard: about two thirds are refused.
    const { FailedRecordCount } = await kinesis.send(new PutRecordsCommand({ StreamName, Records: records(300) }));
    expect(FailedRecordCount).toBeGreaterThan(0);
    samples = await scrape(sl.endpoint);
    expect(samples.get(`kinesis_write_provisioned_throughput_exceeded_total{stream="${StreamName}"}`)).toBe(FailedRecordCount);
    expect(samples.get(`kinesis_incoming_records_total{stream="${StreamName}"}`)).toBe(10 + 300 - FailedRecordCount!);
    expect(samples.get(`kinesis_put_records_latency_seconds_count{stream="${StreamName}"}`)).toBe(2);
  });

  it('drops a deleted stream’s series from /metrics once its deletion has finished', async () => {
    const StreamName = await newStream();
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: records(3) }));
    const series = async () => [...(await scrape(sl.endpoint)).keys()].filter((k) => k.includes(`stream="${StreamName}"`));
    expect(await series()).toContain(`kinesis_incoming_records_total{stream="${StreamName}"}`);
    await kinesis.send(new DeleteStreamCommand({ StreamName }));
    await eventually(async () => (await series()).length === 0);
    expect(await sl.platform.repository.findByName(StreamName)).toBeUndefined();
  });

  it('sets the iterator age of GetRecords and counts calls refused by the read limit', async () => {
    const StreamName = await newStream();
    await kinesis.send(new PutRecordsCommand({ StreamName, Records: records(5) }));
    await sleep(300);
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId: SHARD, ShardIteratorType: 'TRIM_HORIZON' }));
    const first = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 2 }));
    expect(first.Records).toHaveLength(2);
    let samples = await scrape(sl.endpoint);
    expect(samples.get(`kinesis_get_records_iterator_age_milliseconds{stream="${StreamName}"}`)).toBeGreaterThanOrEqual(300);

    // 5 calls per second: a burst of 8 has some refused.
    const calls = await Promise.allSettled(Array.from({ length: 8 }, () => kinesis.send(new GetRecordsCommand({ ShardIterator: first.NextShardIterator! }))));
    const refused = calls.filter((c) => c.status === 'rejected' && (c.reason as Error).name === 'ProvisionedThroughputExceededException').length;
    expect(refused).toBeGreaterThan(0);
    samples = await scrape(sl.endpoint);
    expect(samples.get(`kinesis_read_provisioned_throughput_exceeded_total{stream="${StreamName}"}`)).toBe(refused);
  });

  it('splits the enhanced-monitoring metrics of a stream by shard', async () => {
    const StreamName = await newStream();
    await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName, ShardLevelMetrics: ['IncomingRecords'] }));
    await eventually(async () => {
      await kinesis.send(new PutRecordsCommand({ StreamName, Records: records(3) }));
      const samples = await scrape(sl.endpoint);
      return samples.has(`kinesis_incoming_records_total{stream="${StreamName}",shard="${SHARD}"}`);
    });
    const samples = await scrape(sl.endpoint);
    expect(samples.get(`kinesis_incoming_records_total{stream="${StreamName}",shard="${SHARD}"}`)).toBeGreaterThanOrEqual(3);
    // IncomingBytes stays a stream-level series: it was not enabled.
    expect([...samples.keys()].filter((k) => k.startsWith(`kinesis_incoming_bytes_total{stream="${StreamName}"`))).toEqual([
      `kinesis_incoming_bytes_total{stream="${StreamName}"}`,
    ]);
  });

  it('counts SubscribeToShard event records and sets MillisBehindLatest per consumer', async () => {
    const StreamName = await newStream();
    const ConsumerARN = await activeConsumer(kinesis, StreamName, 'watcher');
    const sub = await subscribe(kinesis, ConsumerARN, SHARD, { Type: 'TRIM_HORIZON' });
    try {
      await kinesis.send(new PutRecordsCommand({ StreamName, Records: records(4) }));
      await sub.until((events) => recordsOf(events).length >= 4);
    } finally {
      sub.stop();
    }
    const samples = await scrape(sl.endpoint);
    expect(samples.get(`kinesis_subscribe_to_shard_event_records_total{stream="${StreamName}",consumer="watcher"}`)).toBe(4);
    expect(samples.get(`kinesis_subscribe_to_shard_event_millis_behind_latest{stream="${StreamName}",consumer="watcher"}`)).toBeGreaterThanOrEqual(0);
  });

  it('exports Firehose delivery metrics per delivery stream', async () => {
    const DeliveryStreamName = randomName('fh-metrics');
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          RoleARN: ROLE_ARN,
          BucketARN: `arn:aws:s3:::${randomName('metrics').toLowerCase()}`,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
        },
      }),
    );
    await waitStatus(firehose, DeliveryStreamName);
    const Records = Array.from({ length: 7 }, (_, i) => ({ Data: Buffer.from(`{"i":${i}}\n`) }));
    await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName, Records }));
    const samples = await eventually(async () => {
      const found = await scrape(sl.endpoint);
      return found.get(`firehose_delivery_to_s3_records_total{delivery_stream="${DeliveryStreamName}"}`) === 7 && found;
    });
    expect(samples.get(`firehose_incoming_records_total{delivery_stream="${DeliveryStreamName}"}`)).toBe(7);
    expect(samples.get(`firehose_delivery_to_s3_success_total{delivery_stream="${DeliveryStreamName}"}`)).toBeGreaterThanOrEqual(1);
    expect(samples.get(`firehose_delivery_to_s3_data_freshness_seconds{delivery_stream="${DeliveryStreamName}"}`)).toBeGreaterThanOrEqual(0);
  });
});

describe('the shards and firehose apps serve /metrics and health on SHARDLINE_METRICS_PORT', () => {
  const databaseUrl = scratchDatabaseUrl(randomName('sl_metrics'));
  const apps: Record<string, { process: AppProcess; base: string }> = {};
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'shardline-metrics-'));
    // One after the other: both run the start-up migrations, which must not run at once.
    for (const [app, ready] of [['shards', /shards process \d+ started/], ['firehose', /firehose process \d+ started/]] as const) {
      const port = await freePort();
      const env = { DATABASE_URL: databaseUrl, SHARDLINE_METRICS_PORT: String(port), SHARDLINE_DATA_DIR: dataDir };
      apps[app] = { process: await startApp(app, env, ready), base: `http://127.0.0.1:${port}` };
    }
  }, 120_000);
  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.process.kill('SIGTERM')));
    await removeShardStorage(databaseUrl);
    await dropDatabase(databaseUrl);
    await rm(dataDir, { recursive: true, force: true });
  });

  it.each(['shards', 'firehose'])('%s answers live, ready (NATS and Postgres fine) and its metrics', async (app) => {
    const { process, base } = apps[app]!;
    expect(process.output()).toContain(`metrics and health on port ${new URL(base).port}`);
    expect(await (await fetch(`${base}/health/live`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toContain('# TYPE kinesis_incoming_records_total counter');
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE shardline_owned_shards gauge');
    if (app === 'firehose') expect(text).toContain('# TYPE firehose_delivery_to_s3_records_total counter');
  });
});

describe('analytics lag and record counts per application on /metrics', () => {
  let sl: TestPlatform;
  let analytics: AnalyticsRuntime;

  beforeAll(async () => {
    sl = await startTestPlatform();
    analytics = await startTestAnalytics(sl);
  }, 60_000);
  afterAll(async () => {
    await analytics.close();
    await sl.close();
  });

  it('shows an application started behind its input catching up: lag above 0, then 0, and every record counted', async () => {
    const input = randomName('an-lag-in');
    const output = randomName('an-lag-out');
    await createActive(sl.endpoint, { name: input, shardCount: 1 });
    await createActive(sl.endpoint, { name: output, shardCount: 1 });
    const kinesis = kinesisClient(sl.endpoint, 'h2c');
    // 20 messages of 500 records wait in the input before the application starts from the oldest.
    const batches = 20;
    try {
      for (let b = 0; b < batches; b++) {
        const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: 'k', Data: Buffer.from(JSON.stringify({ device: `d${i % 7}`, n: b * 500 + i })) }));
        expect((await kinesis.send(new PutRecordsCommand({ StreamName: input, Records }))).FailedRecordCount).toBe(0);
      }
    } finally {
      kinesis.destroy();
    }
    await sleep(1000);
    const text = await (await fetch(`${sl.endpoint}/metrics`)).text();
    expect(text).toContain('# TYPE analytics_input_millis_behind_latest gauge');
    expect(text).toContain('# TYPE analytics_input_records_total counter');

    const name = randomName('lagging');
    const created = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: { streamName: input, format: 'JSON', columns: [{ name: 'DEVICE', type: 'VARCHAR(16)', path: '$.device' }, { name: 'N', type: 'BIGINT', path: '$.n' }] },
      sql: `CREATE STREAM "OUT" (device VARCHAR(16), n BIGINT);
            CREATE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM device, n FROM SOURCE_SQL_STREAM_001;`,
      outputs: [{ kind: 'stream', inAppStream: 'OUT', streamName: output }],
    });
    expect(created.status).toBe(201);
    const lag = `analytics_input_millis_behind_latest{application="${name}",input="${input}"}`;
    const read = `analytics_input_records_total{application="${name}",input="${input}"}`;
    const wrote = `analytics_output_records_total{application="${name}",output="stream:OUT"}`;
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'TRIM_HORIZON' });

    // Scraped while it catches up: behind by at least the second the records waited, until the last message.
    const seen: number[] = [];
    const caughtUp = await eventually(async () => {
      const samples = await scrape(sl.endpoint);
      if (samples.has(lag)) seen.push(samples.get(lag)!);
      return samples.get(read) === batches * 500 && samples.get(lag) === 0 && samples.get(wrote) === batches * 500 && samples;
    }, 30_000);
    expect(caughtUp.get(lag)).toBe(0);
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(1000);
  }, 60_000);
});
