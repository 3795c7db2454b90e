import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginRegistry, TransformHost, invokeTransform } from '@shardline/firehose';
import { tarball } from '../support/tarball';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { rest, type Json } from '../support/rest';

const BIN = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'shardline.js');
const UPPER = `exports.handler = async (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from(Buffer.from(r.data, 'base64').toString().toUpperCase()).toString('base64') })) });\n`;

/** Plugins through the REST API and the CLI, then run from what the registry stored. */
describe('transform plugins (REST, CLI)', () => {
  let sl: TestPlatform;
  let dir: string;

  beforeAll(async () => {
    sl = await startTestPlatform();
    dir = mkdtempSync(join(tmpdir(), 'plugins-e2e-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sl.close();
  });

  function shardline(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [BIN, '--endpoint', sl.endpoint, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  it('publishes a JS file and a tarball as versions 1 and 2, lists them, and the host runs them', async () => {
    const name = randomName('upper');
    const v1 = await rest(sl.endpoint, 'POST', `/v1/plugins/${name}/versions`, { code: Buffer.from(UPPER).toString('base64'), environment: { MODE: 'upper' } });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ name, version: 1, kind: 'js', handler: 'handler', memoryMiB: 128, timeoutSeconds: 60, environment: { MODE: 'upper' } });
    expect(v1.body.functionArn).toBe(`arn:aws:lambda:${sl.config.region}:${sl.config.accountId}:function:${name}:1`);

    const tgz = await tarball({
      'package/package.json': JSON.stringify({ name: 'rev', main: 'src/rev.js' }),
      'package/src/rev.js': `exports.transform = async (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from([...Buffer.from(r.data, 'base64').toString()].reverse().join('')).toString('base64') })) });`,
    });
    const v2 = await rest(sl.endpoint, 'POST', `/v1/plugins/${name}/versions`, { code: tgz.toString('base64'), handler: 'transform', timeoutSeconds: 30 });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, kind: 'tgz', handler: 'transform', timeoutSeconds: 30, codeSize: tgz.length });

    const described = await rest(sl.endpoint, 'GET', `/v1/plugins/${name}`);
    expect(described.body).toMatchObject({ name, latestVersion: 2, functionArn: expect.stringMatching(/:\$LATEST$/) });
    expect(described.body.versions.map((v: { version: number; kind: string }) => [v.version, v.kind])).toEqual([[1, 'js'], [2, 'tgz']]);
    const listed = await rest(sl.endpoint, 'GET', '/v1/plugins');
    expect(listed.body.plugins).toEqual(expect.arrayContaining([expect.objectContaining({ name, latestVersion: 2 })]));

    const registry = new PluginRegistry(sl.platform.dataSource, { dataDir: dir });
    const host = new TransformHost({ registry, log: () => undefined });
    try {
      const records = [{ recordId: 'a', data: Buffer.from('abc'), approximateArrivalTimestamp: 1, position: { seq: 1, index: 0 } }];
      const ctx = { deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/x', region: 'us-east-1', timeoutMs: 5000 };
      expect((await invokeTransform(host, v1.body.functionArn, records, ctx)).ok[0]!.data.toString()).toBe('ABC');
      expect((await invokeTransform(host, name, records, ctx)).ok[0]!.data.toString()).toBe('cba');
    } finally {
      await host.stop();
    }
  });

  it('takes the file itself as the body (JS or tarball), with its configuration in the query', async () => {
    const name = randomName('raw');
    const post = (query: string, body: Buffer | string, contentType: string) =>
      fetch(`${sl.endpoint}/v1/plugins/${name}/versions${query}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const js = await post('?memoryMiB=64&timeoutSeconds=10&env=A=1&env=B=x%3Dy&description=raw', UPPER, 'application/javascript');
    expect(js.status).toBe(201);
    expect(await js.json()).toMatchObject({ name, version: 1, kind: 'js', memoryMiB: 64, timeoutSeconds: 10, environment: { A: '1', B: 'x=y' }, description: 'raw' });
    const esm = await post('', 'export const handler = async (e) => ({ records: [] });', 'text/javascript');
    expect(await esm.json()).toMatchObject({ version: 2, kind: 'mjs' });
    const tgz = await post('?handler=main.go', await tarball({ 'main.js': 'exports.go = async () => ({ records: [] });' }), 'application/gzip');
    expect(await tgz.json()).toMatchObject({ version: 3, kind: 'tgz', handler: 'main.go' });

    const badEnv = await post('?env=DATABASE_URL=x&env=AWS_SECRET_ACCESS_KEY=y', UPPER, 'application/javascript');
    expect(badEnv.status).toBe(400);
    expect(((await badEnv.json()) as Json).errors).toEqual([{ path: 'query.env.AWS_SECRET_ACCESS_KEY', message: expect.stringContaining('Reserved') }]);
    const badCode = await post('', 'exports.handler = (', 'application/javascript');
    expect(badCode.status).toBe(400);
    expect(badCode.headers.get('content-type')).toContain('application/problem+json');
    const notHere = await fetch(`${sl.endpoint}/v1/streams`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: 'x' });
    expect(notHere.status).toBe(415);
    expect(((await notHere.json()) as Json).type).toBe('https://shardline.dev/problems/unsupported-media-type');
  });

  it('refuses a bad upload with a problem+json 400', async () => {
    const name = randomName('bad');
    const noEntry = await tarball({ 'package/package.json': '{"name":"x"}', 'package/lib.js': 'exports.handler = 1' });
    const cases = [
      { code: noEntry.toString('base64') },
      { code: Buffer.from('exports.handler = async (e) => {').toString('base64') },
      { code: 'not base64!' },
      { code: Buffer.from(UPPER).toString('base64'), environment: { DATABASE_URL: 'x', AWS_SECRET_ACCESS_KEY: 'y' } },
      { code: Buffer.from(UPPER).toString('base64'), timeoutSeconds: 900 },
    ];
    for (const body of cases) {
      const answer = await rest(sl.endpoint, 'POST', `/v1/plugins/${name}/versions`, body);
      expect(answer.status).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
      expect(answer.body.type).toBe('https://shardline.dev/problems/validation-error');
    }
    expect((await rest(sl.endpoint, 'POST', `/v1/plugins/${name}/versions`, cases[0])).body.errors).toEqual([
      { path: 'body.code', message: 'The tarball has neither package.json with main nor index.js' },
    ]);
    expect((await rest(sl.endpoint, 'POST', '/v1/plugins/bad:name/versions', { code: 'eA==' })).status).toBe(400);
    const missing = await rest(sl.endpoint, 'GET', `/v1/plugins/${name}`);
    expect(missing.status).toBe(404);
    expect(missing.body.type).toBe('https://shardline.dev/problems/resource-not-found');
  });

  it('publishes, describes and deletes with `shardline plugins`', async () => {
    const name = randomName('cli');
    const file = join(dir, 'upper.js');
    writeFileSync(file, UPPER);
    const published = await shardline('plugins', 'publish', name, file, '--memory', '64', '--env', 'A=1');
    expect(published.code).toBe(0);
    expect(JSON.parse(published.stdout)).toMatchObject({ name, version: 1, memoryMiB: 64, environment: { A: '1' } });
    expect((await shardline('plugins', 'delete', name)).code).toBe(0);
    const gone = await shardline('plugins', 'describe', name);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('resource does not exist');
  });

  it('tests a transform locally with `shardline transform test --input records.jsonl`', async () => {
    const file = join(dir, 'keyed.js');
    writeFileSync(
      file,
      `exports.handler = (event, context, callback) => callback(null, { records: event.records.map((r) => {
        const text = Buffer.from(r.data, 'base64').toString();
        if (text === 'drop') return { recordId: r.recordId, result: 'Dropped', data: r.data };
        if (text === 'fail') return { recordId: r.recordId, result: 'ProcessingFailed', data: r.data };
        console.log('transforming', text);
        return { recordId: r.recordId, result: 'Ok', data: Buffer.from(text.toUpperCase()).toString('base64'), metadata: { partitionKeys: { n: String(text.length) } } };
      }) });`,
    );
    const input = join(dir, 'records.jsonl');
    writeFileSync(input, ['raw text', '{"customer":"c1"}', 'drop', 'fail', JSON.stringify({ recordId: 'mine', data: Buffer.from('from event').toString('base64') }), ''].join('\n'));
    const run = await shardline('transform', 'test', file, '--input', input);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n').map((line) => JSON.parse(line))).toEqual([
      { recordId: '00000001', result: 'Ok', data: 'RAW TEXT', partitionKeys: { n: '8' } },
      { recordId: '00000002', result: 'Ok', data: '{"CUSTOMER":"C1"}', partitionKeys: { n: '17' } },
      { recordId: '00000003', result: 'Dropped' },
      { recordId: '00000004', result: 'ProcessingFailed' },
      { recordId: 'mine', result: 'Ok', data: 'FROM EVENT', partitionKeys: { n: '10' } },
    ]);
    expect(run.stderr).toContain('[transform] transforming raw text');
    expect(run.stderr).toContain('5 records: 3 Ok, 1 Dropped, 1 ProcessingFailed');

    writeFileSync(file, `exports.handler = async () => { throw new Error('nope'); };`);
    const failed = await shardline('transform', 'test', file, '--input', input);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Error: nope');
  });
});
