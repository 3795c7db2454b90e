/**
 * Restarts from a checkpoint: a runtime takes a checkpoint after a window closed, reads on,
 * then dies without another one (abandon: what a crash leaves). The next runtime resumes from
 * the checkpoint, reads the rows after it again, and the window closed before the checkpoint
 * is not emitted twice (the table has no key: a duplicate would show), while the window open
 * at the checkpoint counts its replayed rows once. A clean stop and LAST_STOPPED_POINT
 * resume likewise, and rows put while stopped are counted.
 */
import { Client } from 'pg';
import type { AnalyticsRuntime } from '@shardline/analytics';
import { eventually } from '../support/firehose';
import { createActive, rest } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { putJson, startTestAnalytics, waitApplication } from '../support/analytics';
import { randomName } from '../support/random-name';

const SQL = `
CREATE STREAM "COUNTS" (k VARCHAR(8), window_start TIMESTAMP, n BIGINT);
CREATE PUMP "P" AS INSERT INTO "COUNTS"
  SELECT STREAM k, TUMBLE_START(ts, INTERVAL '10' SECOND), COUNT(*)
  FROM SOURCE_SQL_STREAM_001 GROUP BY k, TUMBLE(ts, INTERVAL '10' SECOND);
`;

describe('restart from a checkpoint', () => {
  let sl: TestPlatform;
  let db: Client;
  const runtimes: AnalyticsRuntime[] = [];

  beforeAll(async () => {
    sl = await startTestPlatform();
    db = new Client({ connectionString: sl.config.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    for (const runtime of runtimes) await runtime.close().catch(() => undefined);
    await db.end();
    await sl.close();
  });

  const start = async () => {
    // Checkpoints only when the test asks (and on a clean stop).
    const runtime = await startTestAnalytics(sl, { checkpointMs: 600_000 });
    runtimes.push(runtime);
    return runtime;
  };
  const event = (second: number) => ({ key: 'k1', data: { k: 'k1', ts: `2026-01-01T00:00:${String(second).padStart(2, '0')}Z` } });
  const windows = async (table: string) =>
    (await db.query(`SELECT k, window_start, n FROM ${table} ORDER BY window_start, k`)).rows.map((r) => [r.k, (r.window_start as Date).toISOString().slice(17, 19), Number(r.n)]);

  it('does not count a window closed before the checkpoint twice, and counts the replayed rows once', async () => {
    const stream = randomName('restart');
    // Two shards, one of them idle: the event-time merge of shards takes part in the checkpoint.
    await createActive(sl.endpoint, { name: stream, shardCount: 2 });
    const table = randomName('counts').toLowerCase().replace(/-/g, '_');
    await db.query(`CREATE TABLE ${table} (k text, window_start timestamptz, n bigint)`);
    const name = randomName('restart-app');
    await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: {
        streamName: stream,
        format: 'JSON',
        columns: [{ name: 'K', type: 'VARCHAR(8)', path: '$.k' }, { name: 'TS', type: 'TIMESTAMP', path: '$.ts' }],
        time: { kind: 'eventColumn', column: 'TS' },
      },
      sql: SQL,
      outputs: [{ kind: 'postgres', inAppStream: 'COUNTS', table }],
    });

    const first = await start();
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'NOW' });
    await waitApplication(sl.endpoint, name, 'RUNNING');
    await putJson(sl.endpoint, stream, [event(1), event(2), event(3), event(12)]); // [00, 10) closes
    await eventually(async () => (await windows(table)).length === 1);
    await first.checkpoint(name);
    const checkpoint = (await rest(sl.endpoint, 'GET', `/v1/analytics/applications/${name}`)).body.checkpoint;
    expect(Math.max(...(Object.values(checkpoint.positions) as number[]))).toBeGreaterThan(0);

    await putJson(sl.endpoint, stream, [event(13), event(14)]); // read, but after the checkpoint
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.abandon();

    const second = await start();
    await eventually(async () => second.owned().includes(name));
    await putJson(sl.endpoint, stream, [event(25)]); // [10, 20) closes
    await eventually(async () => (await windows(table)).length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await windows(table)).toEqual([['k1', '00', 3], ['k1', '10', 3]]);

    // A clean stop, rows while stopped, then LAST_STOPPED_POINT: nothing lost, nothing twice.
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/stop`);
    await eventually(async () => second.owned().length === 0);
    await putJson(sl.endpoint, stream, [event(26), event(31)]); // [20, 30) closes once read
    expect((await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'LAST_STOPPED_POINT' })).status).toBe(202);
    await eventually(async () => (await windows(table)).length >= 3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await windows(table)).toEqual([['k1', '00', 3], ['k1', '10', 3], ['k1', '20', 2]]);
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/stop`);
    await eventually(async () => runtimes.every((r) => r.owned().length === 0));
  });

  it('stops its runners when its lock connection is lost, and takes the application again from the checkpoint', async () => {
    // One runtime only: the lock it loses is the one it takes again.
    for (const earlier of runtimes.splice(0)) await earlier.close();
    const stream = randomName('lock-lost');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const table = randomName('counts').toLowerCase().replace(/-/g, '_');
    await db.query(`CREATE TABLE ${table} (k text, window_start timestamptz, n bigint)`);
    const name = randomName('lock-app');
    await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: { streamName: stream, format: 'JSON', columns: [{ name: 'K', type: 'VARCHAR(8)', path: '$.k' }, { name: 'TS', type: 'TIMESTAMP', path: '$.ts' }], time: { kind: 'eventColumn', column: 'TS' } },
      sql: SQL,
      outputs: [{ kind: 'postgres', inAppStream: 'COUNTS', table }],
    });
    const runtime = await start();
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'NOW' });
    await waitApplication(sl.endpoint, name, 'RUNNING');
    await putJson(sl.endpoint, stream, [event(1), event(2), event(12)]);
    await eventually(async () => (await windows(table)).length === 1);
    expect(runtime.owned()).toEqual([name]);
    await runtime.checkpoint(name);

    // The session holding the analytics advisory locks goes away (a network cut, a failover).
    const { rows } = await db.query(`SELECT DISTINCT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 7364 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    expect(rows).toHaveLength(1);
    await db.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await eventually(async () => {
      const again = await db.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = 7364 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`);
      return again.rows.length === 1 && again.rows[0].pid !== rows[0].pid;
    });
    // The lock is taken again before the application's runner is back (it starts from the checkpoint after).
    await eventually(async () => runtime.owned().includes(name));
    expect(runtime.owned()).toEqual([name]);
    await putJson(sl.endpoint, stream, [event(13), event(21)]);
    await eventually(async () => (await windows(table)).length >= 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await windows(table)).toEqual([['k1', '00', 2], ['k1', '10', 2]]);
  });
});
