/**
 * IoT: sensor readings (JSON) on a stream; an analytics application keeps per-device 1-minute
 * averages in a Postgres table (upsert by device and minute) and POSTs an alert to a webhook
 * for every reading above 80 degrees. Event time comes from the readings' own timestamps, so
 * the test closes a minute by sending a reading of the next minute instead of waiting.
 */
import { Client } from 'pg';
import type { AnalyticsRuntime } from '@shardline/analytics';
import { eventually } from '../support/firehose';
import { HttpReceiver } from '../support/http-receiver';
import { createActive, rest } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { putJson, startTestAnalytics, waitApplication } from '../support/analytics';
import { randomName } from '../support/random-name';

const SQL = `
CREATE STREAM "DEVICE_AVG" (device_id VARCHAR(32), window_start TIMESTAMP, avg_temp DOUBLE, readings BIGINT);
CREATE STREAM "ALERTS" (device_id VARCHAR(32), temperature DOUBLE, ts TIMESTAMP);
CREATE PUMP "AVG_PUMP" AS INSERT INTO "DEVICE_AVG"
  SELECT STREAM device_id, TUMBLE_START(ts, INTERVAL '1' MINUTE), AVG(temperature), COUNT(*)
  FROM SOURCE_SQL_STREAM_001
  GROUP BY device_id, TUMBLE(ts, INTERVAL '1' MINUTE);
CREATE PUMP "ALERT_PUMP" AS INSERT INTO "ALERTS"
  SELECT STREAM device_id, temperature, ts FROM SOURCE_SQL_STREAM_001 WHERE temperature > 80;
`;

describe('IoT: per-device averages into Postgres and alerts to a webhook', () => {
  let sl: TestPlatform;
  let analytics: AnalyticsRuntime;
  let receiver: HttpReceiver;
  let db: Client;

  beforeAll(async () => {
    sl = await startTestPlatform();
    analytics = await startTestAnalytics(sl);
    receiver = await new HttpReceiver().start();
    db = new Client({ connectionString: sl.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await analytics.close();
    await receiver.stop();
    await db.end();
    await sl.close();
  });

  it('upserts closed minutes and posts readings over 80', async () => {
    const stream = randomName('sensors');
    // Two shards: their rows are merged in event time, so neither makes the other's late.
    await createActive(sl.endpoint, { name: stream, shardCount: 2 });
    const table = randomName('device_minute').toLowerCase().replace(/-/g, '_');
    await db.query(`CREATE TABLE ${table} (device_id text, window_start timestamptz, avg_temp double precision, readings bigint, PRIMARY KEY (device_id, window_start))`);
    // A stale row for the same key: the upsert replaces it.
    await db.query(`INSERT INTO ${table} VALUES ('d1', '2026-01-01T00:00:00Z', 0, 0)`);

    const name = randomName('iot');
    const created = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: {
        streamName: stream,
        format: 'JSON',
        columns: [
          { name: 'DEVICE_ID', type: 'VARCHAR(32)', path: '$.device.id' },
          { name: 'TEMPERATURE', type: 'DOUBLE', path: '$.temp' },
          { name: 'TS', type: 'TIMESTAMP', path: '$.ts' },
        ],
        time: { kind: 'eventColumn', column: 'TS' },
      },
      sql: SQL,
      outputs: [
        { kind: 'postgres', inAppStream: 'DEVICE_AVG', table, keyColumns: ['device_id', 'window_start'] },
        { kind: 'webhook', inAppStream: 'ALERTS', url: receiver.url },
      ],
    });
    expect(created.status).toBe(201);
    // The receiver fails the first alert batch once: the sink retries it.
    receiver.answer({ status: 503 });
    expect((await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'NOW' })).status).toBe(202);
    await waitApplication(sl.endpoint, name, 'RUNNING');

    const reading = (device: string, temp: number, at: string) => ({ key: device, data: { device: { id: device }, temp, ts: `2026-01-01T00:${at}Z` } });
    await putJson(sl.endpoint, stream, [
      reading('d1', 70, '00:05'),
      reading('d1', 90, '00:20'),
      reading('d2', 60, '00:30'),
      reading('d1', 80, '00:40'),
      reading('d2', 62, '00:50'),
    ]);
    // Readings of the next minute move the watermark past 00:01:00: minute 0 closes.
    await putJson(sl.endpoint, stream, [reading('d1', 81, '01:10'), reading('d2', 50, '01:10')]);

    const rows = await eventually(async () => {
      const { rows } = await db.query(`SELECT device_id, window_start, avg_temp, readings FROM ${table} ORDER BY device_id`);
      return rows.length === 2 && rows[0].readings !== '0' && rows;
    });
    expect(rows).toEqual([
      { device_id: 'd1', window_start: new Date('2026-01-01T00:00:00Z'), avg_temp: 80, readings: '3' },
      { device_id: 'd2', window_start: new Date('2026-01-01T00:00:00Z'), avg_temp: 61, readings: '2' },
    ]);

    const alerts = await eventually(async () => {
      const posted = receiver.requests.filter((r) => r.method === 'POST').flatMap((r) => r.json as Array<Record<string, unknown>>);
      const unique = new Map(posted.map((a) => [`${a.DEVICE_ID}@${a.TS}`, a]));
      return unique.size === 2 && [...unique.values()];
    });
    expect(alerts.map((a) => [a.DEVICE_ID, a.TEMPERATURE, a.TS])).toEqual([
      ['d1', 90, Date.parse('2026-01-01T00:00:20Z')],
      ['d1', 81, Date.parse('2026-01-01T00:01:10Z')],
    ]);
    expect(receiver.requests[0].headers['content-type']).toBe('application/json');
    expect(receiver.requests.length).toBeGreaterThanOrEqual(2); // the 503, then the retry

    const described = await rest(sl.endpoint, 'GET', `/v1/analytics/applications/${name}`);
    expect(described.body.status).toBe('RUNNING');
    expect(Object.keys(described.body.checkpoint.positions).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/stop`);
    await eventually(async () => analytics.owned().length === 0);
  });

  it('joins readings with a reference table read from Postgres, refreshed while running', async () => {
    const stream = randomName('sensors');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const devices = randomName('devices').toLowerCase().replace(/-/g, '_');
    await db.query(`CREATE TABLE ${devices} (device_id text PRIMARY KEY, site text)`);
    await db.query(`INSERT INTO ${devices} VALUES ('d1', 'north'), ('d2', 'south')`);
    const hook = await new HttpReceiver().start();
    try {
      const name = randomName('enrich');
      const created = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
        name,
        input: {
          streamName: stream,
          format: 'JSON',
          columns: [{ name: 'DEVICE_ID', type: 'VARCHAR(32)', path: '$.device.id' }, { name: 'TEMPERATURE', type: 'DOUBLE', path: '$.temp' }],
          referenceTables: [{ name: 'DEVICES', table: devices, columns: { DEVICE_ID: 'VARCHAR(32)', SITE: 'VARCHAR(16)' }, refreshMs: 200 }],
        },
        sql: `CREATE STREAM "ENRICHED" (device_id VARCHAR(32), site VARCHAR(16), temperature DOUBLE);
              CREATE PUMP "J" AS INSERT INTO "ENRICHED"
                SELECT STREAM r.device_id, d.site, r.temperature
                FROM SOURCE_SQL_STREAM_001 AS r LEFT JOIN "DEVICES" AS d ON r.device_id = d.device_id;`,
        outputs: [{ kind: 'webhook', inAppStream: 'ENRICHED', url: hook.url }],
      });
      expect(created.status).toBe(201);
      await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'NOW' });
      await waitApplication(sl.endpoint, name, 'RUNNING');
      const posted = () => hook.requests.flatMap((r) => r.json as Array<Record<string, unknown>>).map((row) => [row.DEVICE_ID, row.SITE, row.TEMPERATURE]);

      await putJson(sl.endpoint, stream, [{ key: 'd1', data: { device: { id: 'd1' }, temp: 20 } }, { key: 'd3', data: { device: { id: 'd3' }, temp: 21 } }]);
      await eventually(async () => posted().length >= 2);
      expect(posted()).toEqual([['d1', 'north', 20], ['d3', null, 21]]);

      await db.query(`UPDATE ${devices} SET site = 'east' WHERE device_id = 'd1'`);
      await new Promise((resolve) => setTimeout(resolve, 600)); // more than refreshMs: the table is read again
      await putJson(sl.endpoint, stream, [{ key: 'd1', data: { device: { id: 'd1' }, temp: 22 } }]);
      await eventually(async () => posted().length >= 3);
      expect(posted()[2]).toEqual(['d1', 'east', 22]);
      await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/stop`);
    } finally {
      await hook.stop();
    }
  });
});
