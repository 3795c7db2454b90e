/**
 * `shardline analytics` (the CLI binary as its own process) against a test platform with the
 * analytics role: create from flags, start, describe, follow the live rows, stop, delete; a
 * SQL mistake printed with its line and column and exit code 1. Schema discovery over REST
 * (POST /v1/analytics/discover-schema) and the CLI.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyticsRuntime } from '@shardline/analytics';
import { createActive, rest } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { putJson, putLines, startTestAnalytics, waitApplication } from '../support/analytics';
import { randomName } from '../support/random-name';

const BIN = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'shardline.js');

const SQL = `
CREATE STREAM "HOT" (device VARCHAR(16), temp DOUBLE);
CREATE PUMP "P" AS INSERT INTO "HOT"
  SELECT STREAM device, temp FROM SOURCE_SQL_STREAM_001 WHERE temp > 80;
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('shardline analytics (CLI)', () => {
  let sl: TestPlatform;
  let analytics: AnalyticsRuntime;
  let dir: string;

  beforeAll(async () => {
    sl = await startTestPlatform();
    analytics = await startTestAnalytics(sl);
    dir = mkdtempSync(join(tmpdir(), 'shardline-cli-analytics-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await analytics.close();
    await sl.close();
  });

  function shardline(args: string[]): Promise<Run> {
    const child = spawn(process.execPath, [BIN, '--endpoint', sl.endpoint, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  it('creates, starts, describes, follows live rows, stops and deletes an application', async () => {
    const stream = randomName('cli-sensors');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const sqlFile = join(dir, 'hot.sql');
    writeFileSync(sqlFile, SQL);
    const name = randomName('cli-app');

    const created = await shardline(['analytics', 'create', name, '--sql-file', sqlFile, '--input-stream', stream, '--format', 'json', '--columns', 'DEVICE:VARCHAR(16):$.device.id,TEMP:DOUBLE:$.temp']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual(
      expect.objectContaining({
        name,
        status: 'READY',
        inAppStreams: ['HOT'],
        input: expect.objectContaining({ streamName: stream, format: 'JSON', columns: [{ name: 'DEVICE', type: 'VARCHAR(16)', path: '$.device.id' }, { name: 'TEMP', type: 'DOUBLE', path: '$.temp' }] }),
      }),
    );

    const started = await shardline(['analytics', 'start', name, '--from', 'NOW']);
    expect(started).toEqual(expect.objectContaining({ code: 0, stdout: `${name} STARTING from NOW\n` }));
    await waitApplication(sl.endpoint, name, 'RUNNING');

    const list = await shardline(['analytics', 'list']);
    expect(list.stdout).toMatch(new RegExp(`^NAME\\s+STATUS\\s+VERSION\\s+INPUT\\s+UPDATED\\n(.*\\n)*${name}\\s+RUNNING\\s+1\\s+${stream}\\s`));

    const live = shardline(['analytics', 'live', name, 'HOT', '--count', '2']);
    // The live feed starts at connection: keep putting until the two rows arrive.
    const putter = setInterval(() => {
      void putJson(sl.endpoint, stream, [
        { key: 'a', data: { device: { id: 'd1' }, temp: 70 } },
        { key: 'b', data: { device: { id: 'd2' }, temp: 91.5 } },
      ]).catch(() => undefined);
    }, 200);
    const liveRun = await live.finally(() => clearInterval(putter));
    expect(liveRun.code).toBe(0);
    const rows = liveRun.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toEqual([expect.objectContaining({ DEVICE: 'd2', TEMP: 91.5 }), expect.objectContaining({ DEVICE: 'd2', TEMP: 91.5 })]);

    const described = await shardline(['analytics', 'describe', name]);
    expect(JSON.parse(described.stdout)).toEqual(expect.objectContaining({ name, status: 'RUNNING', version: 1 }));

    const stopped = await shardline(['analytics', 'stop', name]);
    expect(stopped).toEqual(expect.objectContaining({ code: 0, stdout: `${name} STOPPED\n` }));
    const deleted = await shardline(['analytics', 'delete', name]);
    expect(deleted).toEqual(expect.objectContaining({ code: 0, stdout: `${name} deleted\n` }));
    const gone = await shardline(['analytics', 'describe', name]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^error: The resource does not exist/);
  }, 20_000);

  it('prints a SQL mistake with its line and column and exits with 1', async () => {
    const sqlFile = join(dir, 'bad.sql');
    writeFileSync(sqlFile, 'CREATE STREAM "S" (a INTEGER);\nCREATE PUMP "P" AS INSERT INTO "S"\n  SELEC STREAM a FROM SOURCE_SQL_STREAM_001;\n');
    const config = join(dir, 'app.json');
    writeFileSync(config, JSON.stringify({ name: 'ignored', input: { streamName: 'whatever', format: 'JSON', columns: [{ name: 'A', type: 'INTEGER' }] }, sql: '' }));
    const run = await shardline(['analytics', 'create', randomName('cli-bad'), '--config', config, '--sql-file', sqlFile]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error: .*line 3, column 3/);
    expect(run.stderr).toMatch(/^ {2}body\.sql: line 3, column 3: /m);
  }, 10_000);

  it('discovers an input mapping from a sample of the stream, over REST and the CLI, that a create body takes as it is', async () => {
    const json = randomName('discover-json');
    const csv = randomName('discover-csv');
    await createActive(sl.endpoint, { name: json, shardCount: 2 });
    await createActive(sl.endpoint, { name: csv, shardCount: 1 });
    await putJson(
      sl.endpoint,
      json,
      Array.from({ length: 40 }, (_, n) => ({
        key: `k${n}`,
        data: { device: { id: `dev-${n}` }, temp: n % 2 ? 20.5 : 21, ok: n % 3 === 0, ts: `2026-01-01T12:00:${String(n).padStart(2, '0')}Z`, seq: n * 1e10 },
      })),
    );
    await putLines(sl.endpoint, csv, ['10.0.0.1,2026-01-01T12:00:01Z,"GET /a,b",200', '10.0.0.2,2026-01-01T12:00:02Z,GET /,404']);

    const found = await rest(sl.endpoint, 'POST', '/v1/analytics/discover-schema', { streamName: json, sampleSize: 30 });
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      format: 'JSON',
      sampledRecords: 30,
      columns: [
        { name: 'DEVICE_ID', type: expect.stringMatching(/^VARCHAR\((5|6)\)$/), path: '$.device.id' },
        { name: 'TEMP', type: 'DOUBLE', path: '$.temp' },
        { name: 'OK', type: 'BOOLEAN', path: '$.ok' },
        { name: 'TS', type: 'TIMESTAMP', path: '$.ts' },
        { name: 'SEQ', type: 'BIGINT', path: '$.seq' },
      ],
    });
    const pasted = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name: randomName('discovered'),
      input: { streamName: json, format: found.body.format, columns: found.body.columns, time: { kind: 'eventColumn', column: 'TS' } },
      sql: 'CREATE STREAM "O" (d VARCHAR(8), t DOUBLE);\nCREATE PUMP "P" AS INSERT INTO "O" SELECT STREAM device_id, temp FROM SOURCE_SQL_STREAM_001 WHERE ok;',
    });
    expect(pasted.status).toBe(201);

    const missing = await rest(sl.endpoint, 'POST', '/v1/analytics/discover-schema', { streamName: randomName('nothing') });
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
    const bad = await rest(sl.endpoint, 'POST', '/v1/analytics/discover-schema', { streamName: json, sampleSize: 0 });
    expect(bad.status).toBe(400);

    const discovered = await shardline(['analytics', 'discover', csv]);
    expect(discovered.code).toBe(0);
    expect(JSON.parse(discovered.stdout)).toEqual({
      format: 'CSV',
      sampledRecords: 2,
      columns: [
        { name: 'COLUMN1', type: 'VARCHAR(8)', path: 0 },
        { name: 'COLUMN2', type: 'TIMESTAMP', path: 1 },
        { name: 'COLUMN3', type: 'VARCHAR(8)', path: 2 },
        { name: 'COLUMN4', type: 'INTEGER', path: 3 },
      ],
    });

    // Without --columns, create discovers them.
    const sqlFile = join(dir, 'csv.sql');
    writeFileSync(sqlFile, 'CREATE STREAM "S" (status INTEGER);\nCREATE PUMP "P" AS INSERT INTO "S" SELECT STREAM column4 FROM SOURCE_SQL_STREAM_001;\n');
    const created = await shardline(['analytics', 'create', randomName('cli-csv'), '--sql-file', sqlFile, '--input-stream', csv, '--time-column', 'COLUMN2']);
    expect(created.stderr).toBe('');
    expect(JSON.parse(created.stdout).input).toEqual(expect.objectContaining({ format: 'CSV', columns: JSON.parse(discovered.stdout).columns, time: expect.objectContaining({ kind: 'eventColumn', column: 'COLUMN2' }) }));
  }, 15_000);
});
