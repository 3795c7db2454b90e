import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@shardline/metadata';
import { testDatabaseUrl } from '../../../../test/support/database';
import { randomName } from '../../../../test/support/random-name';
import { tarball } from '../../../../test/support/tarball';
import type { FirehoseRecord } from '../model';
import { PluginCatalog, type PublishPlugin } from './plugin-catalog';
import { PluginRegistry } from './plugin-registry';
import { TransformHost, invokeTransform, type TransformContext } from './transform-host';

/** The pipeline's view of plugins: published to Postgres, unpacked to disk, run in real child processes. */
describe('TransformHost', () => {
  let dataSource: DataSource;
  let catalog: PluginCatalog;
  let registry: PluginRegistry;
  let host: TransformHost;
  const dataDir = mkdtempSync(join(tmpdir(), 'transform-host-'));
  const ctx: TransformContext = { deliveryStreamArn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/d', region: 'us-east-1', timeoutMs: 5000 };

  beforeAll(async () => {
    dataSource = await createDataSource(testDatabaseUrl()).initialize();
    catalog = new PluginCatalog(dataSource);
    registry = new PluginRegistry(dataSource, { dataDir });
    await registry.start();
    host = new TransformHost({ registry, log: () => undefined });
    host.start();
  });
  afterAll(async () => {
    await host.stop();
    await registry.stop();
    await dataSource.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const publish = async (code: string, options: Partial<PublishPlugin> = {}) => {
    const name = options.name ?? randomName('plugin');
    const stored = await catalog.publish({ name, code: Buffer.from(code), ...options });
    return { name, version: stored.version };
  };
  const records = (...texts: string[]): FirehoseRecord[] =>
    texts.map((text, i) => ({
      recordId: `id-${i}`,
      data: Buffer.from(text),
      approximateArrivalTimestamp: 1_700_000_000_000,
      position: { seq: 1, index: i },
      partitionKeys: { query: { q: 'kept' } },
    }));
  const texts = (list: FirehoseRecord[]) => list.map((r) => r.data.toString());

  const byContent = `exports.handler = async (event) => ({
    records: event.records.map((r) => {
      const text = Buffer.from(r.data, 'base64').toString();
      if (text === 'drop') return { recordId: r.recordId, result: 'Dropped', data: r.data };
      if (text === 'fail') return { recordId: r.recordId, result: 'ProcessingFailed', data: r.data };
      if (text.startsWith('rewrite')) return { recordId: r.recordId, result: 'Ok', data: Buffer.from(text.toUpperCase()).toString('base64'), metadata: { partitionKeys: { kind: 'rewritten' } } };
      return { recordId: r.recordId, result: 'Ok', data: r.data };
    }),
  });`;

  it('passes, drops, fails and rewrites records, keeping the batch order and the partition keys', async () => {
    const { name } = await publish(byContent);
    const batch = records('keep', 'drop', 'rewrite me', 'fail', 'keep too');
    const result = await invokeTransform(host, name, batch, ctx);
    expect(texts(result.ok)).toEqual(['keep', 'REWRITE ME', 'keep too']);
    expect(result.ok[1]!.partitionKeys).toEqual({ query: { q: 'kept' }, lambda: { kind: 'rewritten' } });
    expect(result.ok[0]!.partitionKeys).toEqual({ query: { q: 'kept' } });
    expect(result.ok[1]!.position).toEqual({ seq: 1, index: 2 });
    expect(result.dropped.map((r) => r.recordId)).toEqual(['id-1']);
    expect(result.failed).toEqual([
      { record: batch[3], type: 'processing-failed', errorCode: 'Lambda.ProcessingFailedStatus', errorMessage: expect.any(String), attemptsMade: 1 },
    ]);
  });

  it('resolves a Lambda ARN, a name:version and $LATEST; runs an ES module and a tarball', async () => {
    const { name } = await publish(`export const handler = async (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from('v1').toString('base64') })) });`);
    const tgz = await tarball({ 'package/package.json': '{"main":"lib/main.js"}', 'package/lib/main.js': `exports.handler = async (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from('v2').toString('base64') })) });` });
    await catalog.publish({ name, code: tgz });
    const run = async (ref: string) => texts((await invokeTransform(host, ref, records('x'), ctx)).ok);
    expect(await run(`arn:aws:lambda:us-east-1:123456789012:function:${name}:1`)).toEqual(['v1']);
    expect(await run(`${name}:2`)).toEqual(['v2']);
    expect(await run(`arn:aws:lambda:us-east-1:123456789012:function:${name}:$LATEST`)).toEqual(['v2']);
    await expect(invokeTransform(host, `${name}:3`, records('x'), ctx)).rejects.toMatchObject({ name: 'TransformBatchError', errorCode: 'Lambda.ResourceNotFound' });
  });

  it('gives the plugin a clean environment: its configured variables and Lambda’s, no platform secrets', async () => {
    process.env.SHARDLINE_SECRET_FOR_TEST = 'leak';
    const { name } = await publish(
      `exports.handler = async (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from(JSON.stringify(process.env)).toString('base64') })) });`,
      { environment: { GREETING: 'hello' } },
    );
    const [env] = (await invokeTransform(host, name, records('x'), ctx)).ok.map((r) => JSON.parse(r.data.toString()) as Record<string, string>);
    delete process.env.SHARDLINE_SECRET_FOR_TEST;
    expect(env!.GREETING).toBe('hello');
    expect(env!.AWS_LAMBDA_FUNCTION_NAME).toBe(name);
    expect(Object.keys(env!).filter((k) => !k.startsWith('AWS_') && !k.startsWith('LAMBDA_')).sort()).toEqual(['GREETING', 'TZ']);
    expect(env!.DATABASE_URL).toBeUndefined();
  });

  it('fails a batch that runs past its timeout, kills the loop, and serves the next batch', async () => {
    const { name } = await publish(
      `exports.handler = async (e) => {
        if (Buffer.from(e.records[0].data, 'base64').toString() === 'loop') for (;;) {}
        return { records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) };
      };`,
    );
    const started = Date.now();
    await expect(invokeTransform(host, name, records('loop'), { ...ctx, timeoutMs: 400 })).rejects.toMatchObject({ errorCode: 'Sandbox.Timedout', retryable: true });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(texts((await invokeTransform(host, name, records('fine'), ctx)).ok)).toEqual(['fine']);
  });

  it('fails a batch that exhausts its memory and serves the next batch', async () => {
    const { name } = await publish(
      `exports.handler = async (e) => {
        if (Buffer.from(e.records[0].data, 'base64').toString() === 'eat') { const hog = []; for (;;) hog.push({ a: Math.random(), b: 'x'.repeat(64) + Math.random() }); }
        return { records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) };
      };`,
      { memoryMiB: 48 },
    );
    await expect(invokeTransform(host, name, records('eat'), { ...ctx, timeoutMs: 15_000 })).rejects.toMatchObject({ errorCode: 'Runtime.OutOfMemory' });
    expect(texts((await invokeTransform(host, name, records('fine'), ctx)).ok)).toEqual(['fine']);
  });

  it('kills a plugin whose Buffers (outside the V8 heap) outgrow its memory', async () => {
    const { name } = await publish(
      `exports.handler = async (e) => {
        const hog = [];
        for (;;) { hog.push(Buffer.alloc(4 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 5)); }
      };`,
      { memoryMiB: 48 },
    );
    await expect(invokeTransform(host, name, records('x'), { ...ctx, timeoutMs: 15_000 })).rejects.toMatchObject({ errorCode: 'Runtime.OutOfMemory', message: expect.stringContaining('over its 48 MiB') });
  });

  it('fails a batch whose plugin exits or throws outside the handler, then serves the next', async () => {
    const { name } = await publish(
      `exports.handler = async (e) => {
        const text = Buffer.from(e.records[0].data, 'base64').toString();
        if (text === 'exit') process.exit(3);
        if (text === 'async-throw') { setTimeout(() => { throw new Error('late'); }, 1); return new Promise(() => {}); }
        return { records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) };
      };`,
    );
    await expect(invokeTransform(host, name, records('exit'), ctx)).rejects.toMatchObject({ errorCode: 'Runtime.ExitError' });
    await expect(invokeTransform(host, name, records('async-throw'), ctx)).rejects.toMatchObject({ errorCode: 'Runtime.UncaughtException' });
    expect(texts((await invokeTransform(host, name, records('fine'), ctx)).ok)).toEqual(['fine']);
  });

  it('hot-reloads: a new version serves the next batch while a running batch finishes on the old one', async () => {
    const version = (tag: string, delayMs: number) =>
      `exports.handler = async (e) => { await new Promise((r) => setTimeout(r, ${delayMs})); return { records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from('${tag}').toString('base64') })) }; };`;
    const { name } = await publish(version('v1', 600));
    const running = invokeTransform(host, name, records('a', 'b'), ctx);
    await new Promise((resolve) => setTimeout(resolve, 150)); // the v1 batch is inside its handler now
    const noticed = new Promise((resolve) => {
      const off = registry.onNewVersion((notice) => notice.name === name && (off(), resolve(notice)));
    });
    await publish(version('v2', 0), { name });
    expect(await noticed).toEqual({ name, version: 2 });
    expect(texts((await invokeTransform(host, name, records('c'), ctx)).ok)).toEqual(['v2']);
    expect(texts((await running).ok)).toEqual(['v1', 'v1']);
  });
});
