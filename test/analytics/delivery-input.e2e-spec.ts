/**
 * A delivery stream as an application's input. DirectPut: the unmodified Firehose client puts
 * (encrypted) records; the Firehose role delivers them to the directory store and purges them,
 * yet an application stopped meanwhile still reads every one from its last stopped point (its
 * hold stops the purge), counts each once per window across a stop and a runtime restart, and
 * the delivery stream still delivers every record exactly once. KinesisStreamAsSource: the
 * application reads the delivery stream's source stream.
 */
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  PutRecordBatchCommand,
  StartDeliveryStreamEncryptionCommand,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { Client } from 'pg';
import type { AnalyticsRuntime } from '@shardline/analytics';
import { deliveryStreamStreamName } from '@shardline/messaging';
import { eventually, startTestFirehose, type TestFirehose } from '../support/firehose';
import { createActive, rest } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { putJson, startTestAnalytics, waitApplication } from '../support/analytics';
import { randomName } from '../support/random-name';
import { ROLE_ARN, firehoseClient, removeDeliveryStorage, waitStatus } from '../firehose/support';

const SQL = `
CREATE STREAM "DEVICE_MINUTE" (device_id VARCHAR(16), window_start TIMESTAMP, readings BIGINT, total DOUBLE);
CREATE PUMP "P" AS INSERT INTO "DEVICE_MINUTE"
  SELECT STREAM device_id, TUMBLE_START(ts, INTERVAL '1' MINUTE), COUNT(*), SUM(temp)
  FROM SOURCE_SQL_STREAM_001
  GROUP BY device_id, TUMBLE(ts, INTERVAL '1' MINUTE);
`;

const COLUMNS = [
  { name: 'ID', type: 'INTEGER', path: '$.id' },
  { name: 'DEVICE_ID', type: 'VARCHAR(16)', path: '$.device' },
  { name: 'TEMP', type: 'DOUBLE', path: '$.temp' },
  { name: 'TS', type: 'TIMESTAMP', path: '$.ts' },
];

interface Reading {
  id: number;
  device: string;
  temp: number;
  ts: string;
}

const at = (minute: number, second: number) => new Date(Date.UTC(2026, 0, 1, 0, minute, second)).toISOString();

describe('analytics over a delivery stream', () => {
  let sl: TestPlatform;
  let fh: TestFirehose;
  let firehose: FirehoseClient;
  let analytics: AnalyticsRuntime;
  let db: Client;

  beforeAll(async () => {
    sl = await startTestPlatform();
    fh = await startTestFirehose(sl);
    firehose = firehoseClient(sl.endpoint);
    analytics = await startTestAnalytics(sl, { checkpointMs: 300, keys: sl.platform.dataKeys.forReading });
    db = new Client({ connectionString: sl.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await analytics?.close();
    await db?.end();
    firehose?.destroy();
    await fh?.close();
    if (sl) {
      await removeDeliveryStorage(sl.config.databaseUrl);
      await sl.close();
    }
  });

  async function createTable(): Promise<string> {
    const table = randomName('dev_min').toLowerCase().replace(/-/g, '_');
    await db.query(`CREATE TABLE ${table} (device_id text, window_start timestamptz, readings bigint, total double precision, PRIMARY KEY (device_id, window_start))`);
    return table;
  }

  async function createApp(input: object, table: string): Promise<string> {
    const name = randomName('dsin');
    const created = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: { ...input, format: 'JSON', columns: COLUMNS, time: { kind: 'eventColumn', column: 'TS' } },
      sql: SQL,
      outputs: [{ kind: 'postgres', inAppStream: 'DEVICE_MINUTE', table, keyColumns: ['device_id', 'window_start'] }],
    });
    expect(created.status).toBe(201);
    return name;
  }

  async function start(name: string, startingPosition: string): Promise<void> {
    expect((await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition })).status).toBe(202);
    await waitApplication(sl.endpoint, name, 'RUNNING', 40_000);
  }

  /** Rows of the output table as `device@minute: readings/total`. */
  async function windows(table: string): Promise<string[]> {
    const { rows } = await db.query<{ device_id: string; window_start: Date; readings: string; total: number }>(`SELECT * FROM ${table} ORDER BY device_id, window_start`);
    return rows.map((r) => `${r.device_id}@${r.window_start.getUTCMinutes()}: ${r.readings}/${r.total}`);
  }

  /** What the windows of these readings hold, in the same form. */
  function expected(readings: Reading[], minutes: number[]): string[] {
    const out = new Map<string, { n: number; sum: number }>();
    for (const r of readings) {
      const minute = new Date(r.ts).getUTCMinutes();
      if (!minutes.includes(minute)) continue;
      const key = `${r.device}@${minute}`;
      const w = out.get(key) ?? { n: 0, sum: 0 };
      out.set(key, { n: w.n + 1, sum: w.sum + r.temp });
    }
    return [...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, w]) => `${k}: ${w.n}/${w.sum}`);
  }

  it('DirectPut: reads what Firehose delivered and purged meanwhile, once per window, and Firehose still delivers each record once', async () => {
    const DeliveryStreamName = randomName('dsin-dp');
    const bucket = randomName('dsin').toLowerCase();
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } },
      }),
    );
    await waitStatus(firehose, DeliveryStreamName);
    await firehose.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' } }));
    await eventually(async () => {
      const { DeliveryStreamDescription } = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName }));
      return DeliveryStreamDescription?.DeliveryStreamEncryptionConfiguration?.Status === 'ENABLED';
    }, 40_000);
    const [{ id }] = (await db.query<{ id: string }>('SELECT id FROM delivery_streams WHERE name = $1', [DeliveryStreamName])).rows;
    const jsm = await sl.platform.nc.jetstreamManager();
    const stored = async () => (await jsm.streams.info(deliveryStreamStreamName(id))).state;

    const all: Reading[] = [];
    const put = async (readings: Reading[]) => {
      all.push(...readings);
      const { FailedPutCount, Encrypted } = await firehose.send(
        new PutRecordBatchCommand({ DeliveryStreamName, Records: readings.map((r) => ({ Data: Buffer.from(`${JSON.stringify(r)}\n`) })) }),
      );
      expect(FailedPutCount).toBe(0);
      expect(Encrypted).toBe(true);
    };
    const delivered = async (): Promise<number[]> => {
      const keys = await fh.runtime.objects.list(bucket).catch(() => []);
      const texts = await Promise.all(keys.map(async (key) => (await fh.runtime.objects.get(bucket, key)).toString()));
      return texts.join('').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as Reading).id);
    };
    const reading = (n: number, minute: number): Reading => ({ id: n, device: n % 2 ? 'd1' : 'd2', temp: 10 + (n % 7), ts: at(minute, n % 60) });

    const table = await createTable();
    const name = await createApp({ deliveryStreamName: DeliveryStreamName }, table);
    await start(name, 'TRIM_HORIZON');

    // 1. Read while running; the checkpoint (and with it the hold) reaches the last message.
    await put(Array.from({ length: 10 }, (_, n) => reading(n, 0)));
    const afterFirst = (await stored()).last_seq;
    await eventually(async () => {
      const described = await rest(sl.endpoint, 'GET', `/v1/analytics/applications/${name}`);
      return (described.body.checkpoint?.positions?.directPut ?? 0) >= afterFirst;
    }, 40_000);

    // 2. Stopped: Firehose delivers the next records, but may not purge them — the application still needs them.
    expect((await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/stop`)).status).toBe(202);
    await waitApplication(sl.endpoint, name, 'STOPPED');
    await put(Array.from({ length: 20 }, (_, n) => reading(10 + n, n < 10 ? 0 : 1)));
    await eventually(async () => (await delivered()).length >= 30, 40_000);
    const afterSecond = await stored();
    expect(afterSecond.first_seq).toBeLessThanOrEqual(afterFirst + 1);
    expect(afterSecond.last_seq).toBeGreaterThan(afterFirst);

    // 3. From the last stopped point: every record of minutes 0 and 1, each counted once.
    await start(name, 'LAST_STOPPED_POINT');
    await put([reading(30, 5)]);
    await eventually(async () => (await windows(table)).length >= 4, 40_000);
    expect(await windows(table)).toEqual(expected(all, [0, 1]));

    // 4. A runtime restart resumes from its checkpoint: minute 5 holds its one reading once.
    await eventually(async () => {
      const described = await rest(sl.endpoint, 'GET', `/v1/analytics/applications/${name}`);
      return (described.body.checkpoint?.positions?.directPut ?? 0) > afterSecond.last_seq;
    }, 40_000);
    await analytics.close();
    analytics = await startTestAnalytics(sl, { checkpointMs: 300, keys: sl.platform.dataKeys.forReading });
    await waitApplication(sl.endpoint, name, 'RUNNING', 40_000);
    await put([reading(31, 6)]);
    await eventually(async () => (await windows(table)).length >= 5, 40_000);
    expect(await windows(table)).toEqual(expected(all, [0, 1, 5]));

    // 5. Once the application is past them, delivered records are purged again.
    let n = 100;
    await eventually(async () => {
      await put([{ id: n++, device: 'd3', temp: 1, ts: at(6, 30) }]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      return (await stored()).first_seq > afterSecond.last_seq;
    }, 40_000);

    // Firehose delivered every record exactly once.
    const ids = all.map((r) => r.id).sort((a, b) => a - b);
    const got = await eventually(async () => {
      const found = await delivered();
      return found.length >= ids.length && found;
    }, 40_000);
    expect(got.sort((a, b) => a - b)).toEqual(ids);
    // Deleting the running application drops its hold (its runner's final checkpoint renews it, then the runtime drops it).
    expect((await rest(sl.endpoint, 'DELETE', `/v1/analytics/applications/${name}`)).status).toBe(200);
    await eventually(async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return (await db.query('SELECT 1 FROM delivery_stream_readers WHERE delivery_stream_id = $1', [id])).rowCount === 0 && !analytics.owned().includes(name);
    }, 40_000);
  }, 300_000);

  it('KinesisStreamAsSource: reads the delivery stream’s source stream', async () => {
    const stream = randomName('dsin-src');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const DeliveryStreamName = randomName('dsin-ks');
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName,
        DeliveryStreamType: 'KinesisStreamAsSource',
        KinesisStreamSourceConfiguration: { KinesisStreamARN: `arn:aws:kinesis:${sl.config.region}:${sl.config.accountId}:stream/${stream}`, RoleARN: ROLE_ARN },
        ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${randomName('dsks').toLowerCase()}`, BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 } },
      }),
    );
    await waitStatus(firehose, DeliveryStreamName);
    const table = await createTable();
    const name = await createApp({ deliveryStreamName: DeliveryStreamName }, table);
    await start(name, 'TRIM_HORIZON');
    const readings: Reading[] = Array.from({ length: 12 }, (_, n) => ({ id: n, device: n % 3 ? 'k1' : 'k2', temp: n, ts: at(n < 6 ? 0 : 1, n) }));
    await putJson(sl.endpoint, stream, readings.map((r) => ({ key: r.device, data: r })));
    await putJson(sl.endpoint, stream, [{ key: 'k1', data: { id: 99, device: 'k1', temp: 0, ts: at(5, 0) } }]);
    await eventually(async () => (await windows(table)).length >= 4, 40_000);
    expect(await windows(table)).toEqual(expected(readings, [0, 1]));
    const described = await rest(sl.endpoint, 'GET', `/v1/analytics/applications/${name}`);
    expect(described.body.input).toMatchObject({ deliveryStreamName: DeliveryStreamName });
    await rest(sl.endpoint, 'DELETE', `/v1/analytics/applications/${name}`);
  }, 120_000);

  it('answers an unknown delivery stream with 404 and both inputs at once with 400 (problem+json)', async () => {
    const body = (input: object) => ({ name: randomName('dsin-bad'), input: { ...input, format: 'JSON', columns: COLUMNS }, sql: SQL });
    const unknown = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', body({ deliveryStreamName: randomName('nope') }));
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/application\/problem\+json/);
    const both = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', body({ streamName: 's', deliveryStreamName: 'd' }));
    expect(both.status).toBe(400);
    expect(JSON.stringify(both.body)).toMatch(/exactly one of streamName and deliveryStreamName/);
    const neither = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', body({}));
    expect(neither.status).toBe(400);
  });
});
