/**
 * The analytics REST API: create (the SQL compiled first — a mistake is a 400 problem with its
 * line and column), list, describe, update, start, stop, delete, and the problems around them.
 */
import { createActive, rest, type Json } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const PROBLEMS = 'https://shardline.dev/problems/';

const SQL = `CREATE STREAM "DEST" (device VARCHAR(16), n BIGINT);
CREATE PUMP "P" AS INSERT INTO "DEST"
  SELECT STREAM device, COUNT(*) FROM SOURCE_SQL_STREAM_001
  GROUP BY device, STEP(ROWTIME BY INTERVAL '10' SECOND);`;

describe('analytics applications over REST', () => {
  let sl: TestPlatform;
  const call = (method: string, path: string, body?: unknown) => rest(sl.endpoint, method, path, body);
  const input = (streamName: string) => ({ streamName, format: 'JSON', columns: [{ name: 'DEVICE', type: 'VARCHAR(16)', path: '$.device' }] });

  beforeAll(async () => {
    sl = await startTestPlatform();
  });
  afterAll(() => sl.close());

  function expectProblem(answer: { status: number; contentType: string; body: Json }, status: number, type: string): void {
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer).toEqual(expect.objectContaining({ status, body: expect.objectContaining({ type: PROBLEMS + type, status }) }));
  }

  it('answers a SQL mistake with 400 problem+json giving its line and column, on create and on update', async () => {
    const name = randomName('bad-sql');
    const bad = await call('POST', '/v1/analytics/applications', {
      name,
      input: input('s'),
      sql: 'CREATE STREAM "D" (a INTEGER);\nCREATE PUMP "P" AS INSERT INTO "D"\n  SELEC a FROM SOURCE_SQL_STREAM_001;',
    });
    expectProblem(bad, 400, 'validation-error');
    expect(bad.body).toEqual(expect.objectContaining({ line: 3, column: 3, errors: [{ path: 'body.sql', message: expect.stringMatching(/^line 3, column 3: /) }] }));
    expect(bad.body.detail).toContain('line 3, column 3');

    const unknownColumn = await call('POST', '/v1/analytics/applications', { name, input: input('s'), sql: SQL.replace('SELECT STREAM device', 'SELECT STREAM temperature') });
    expectProblem(unknownColumn, 400, 'validation-error');
    expect(unknownColumn.body.line).toBe(3);

    expect((await call('POST', '/v1/analytics/applications', { name, input: input('s'), sql: SQL })).status).toBe(201);
    const badUpdate = await call('PATCH', `/v1/analytics/applications/${name}`, { sql: 'CREATE STREAM "D" (a INTEGER' });
    expectProblem(badUpdate, 400, 'validation-error');
    expect(badUpdate.body).toEqual(expect.objectContaining({ line: 1, column: expect.any(Number) }));
    expect((await call('GET', `/v1/analytics/applications/${name}`)).body.version).toBe(1);
    await call('DELETE', `/v1/analytics/applications/${name}`);
  });

  it('creates, lists, describes, updates, starts, stops and deletes an application', async () => {
    const stream = randomName('an-api');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const name = randomName('app');
    const created = await call('POST', '/v1/analytics/applications', {
      name,
      description: 'counts per device',
      input: input(stream),
      sql: SQL,
      outputs: [{ kind: 'webhook', inAppStream: 'DEST', url: 'http://127.0.0.1:9/hook' }],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(
      expect.objectContaining({ name, status: 'READY', version: 1, inAppStreams: ['DEST'], checkpoint: null, startingPosition: null }),
    );
    expect(created.body.outputs).toEqual([{ kind: 'webhook', inAppStream: 'DEST', url: 'http://127.0.0.1:9/hook', maxAttempts: 5 }]);
    expectProblem(await call('POST', '/v1/analytics/applications', { name, input: input(stream), sql: SQL }), 409, 'resource-in-use');
    expectProblem(
      await call('POST', '/v1/analytics/applications', { name: randomName('app'), input: input(stream), sql: SQL, outputs: [{ kind: 'stream', inAppStream: 'NOPE', streamName: 'x' }] }),
      400,
      'validation-error',
    );

    expect((await call('GET', '/v1/analytics/applications')).body.applications.map((a: Json) => a.name)).toContain(name);
    const updated = await call('PATCH', `/v1/analytics/applications/${name}`, { sql: SQL.replace("'10' SECOND", "'20' SECOND") });
    expect(updated.body).toEqual(expect.objectContaining({ version: 2, sql: expect.stringContaining("'20' SECOND") }));

    expectProblem(await call('POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'LAST_STOPPED_POINT' }), 400, 'validation-error');
    expectProblem(await call('POST', `/v1/analytics/applications/${name}/stop`), 409, 'resource-in-use');
    const started = await call('POST', `/v1/analytics/applications/${name}/start`, {});
    expect(started).toEqual(expect.objectContaining({ status: 202, body: expect.objectContaining({ status: 'STARTING', startingPosition: 'NOW' }) }));
    expectProblem(await call('POST', `/v1/analytics/applications/${name}/start`, {}), 409, 'resource-in-use');
    const stopped = await call('POST', `/v1/analytics/applications/${name}/stop`);
    expect(stopped.body.status).toBe('STOPPED');

    expect((await call('DELETE', `/v1/analytics/applications/${name}`)).body).toEqual({ name, deleted: true });
    expectProblem(await call('GET', `/v1/analytics/applications/${name}`), 404, 'resource-not-found');
    expectProblem(await call('GET', `/v1/analytics/applications/bad%20name`), 400, 'validation-error');
    expectProblem(await call('GET', `/v1/analytics/applications/${name}/streams/DEST/live`), 404, 'resource-not-found');
  });
});
