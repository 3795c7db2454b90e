import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTransform } from './local-runner';
import type { TransformInputRecord } from './runtime/contract';

/** The host's runtime through the local runner: real child processes, Lambda's handler styles, the contract. */
describe('runTransform (the host runtime)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'plugin-sdk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, code: string) => {
    const path = join(dir, name);
    writeFileSync(path, code);
    return path;
  };
  const records = (...texts: string[]): TransformInputRecord[] =>
    texts.map((text, i) => ({ recordId: `r${i}`, data: Buffer.from(text), approximateArrivalTimestamp: 1_700_000_000_000 + i }));
  const texts = (list: Array<{ data: Buffer }>) => list.map((r) => r.data.toString());

  it('runs an unmodified CommonJS `exports.handler = async` Lambda handler', async () => {
    const path = file(
      'cjs.js',
      `exports.handler = async (event, context) => ({
        records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from(Buffer.from(r.data, 'base64').toString().toUpperCase()).toString('base64') })),
      });`,
    );
    const outcome = await runTransform(path, records('a', 'b'));
    expect(texts(outcome.ok)).toEqual(['A', 'B']);
    expect(outcome.ok.map((o) => o.record.recordId)).toEqual(['r0', 'r1']);
  });

  it('runs the callback style `(event, context, callback)`', async () => {
    const path = file(
      'callback.js',
      `exports.handler = (event, context, callback) => {
        setTimeout(() => callback(null, { records: event.records.map((r) => ({ recordId: r.recordId, result: 'Dropped', data: r.data })) }), 5);
      };`,
    );
    const outcome = await runTransform(path, records('a', 'b'));
    expect(outcome.dropped.map((r) => r.recordId)).toEqual(['r0', 'r1']);
  });

  it('runs an ES module `export const handler`', async () => {
    const path = file(
      'esm.mjs',
      `export const handler = async (event) => ({
        records: event.records.map((r, i) => ({ recordId: r.recordId, result: i === 0 ? 'ProcessingFailed' : 'Ok', data: r.data, metadata: { partitionKeys: { n: String(i) } } })),
      });`,
    );
    const outcome = await runTransform(path, records('a', 'b'));
    expect(outcome.failed.map((r) => r.recordId)).toEqual(['r0']);
    expect(outcome.ok).toEqual([{ record: expect.objectContaining({ recordId: 'r1' }), data: Buffer.from('b'), partitionKeys: { n: '1' } }]);
  });

  it('gives the event and a Lambda context as AWS does', async () => {
    const path = file(
      'context.js',
      `exports.handler = async (event, context) => ({
        records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: Buffer.from(JSON.stringify({
          keys: Object.keys(event), record: Object.keys(r), region: event.region, fn: context.functionName, version: context.functionVersion,
          arn: context.invokedFunctionArn, memory: context.memoryLimitInMB, id: typeof context.awsRequestId, left: context.getRemainingTimeInMillis(),
        })).toString('base64') })),
      });`,
    );
    const [seen] = (await runTransform(path, records('x'), { memoryMiB: 96, timeoutMs: 5000, region: 'eu-west-1' })).ok.map((o) => JSON.parse(o.data.toString()));
    expect(seen).toMatchObject({
      keys: ['invocationId', 'deliveryStreamArn', 'region', 'records'],
      record: ['recordId', 'approximateArrivalTimestamp', 'data'],
      region: 'eu-west-1',
      fn: 'local-transform',
      version: '$LATEST',
      arn: 'arn:aws:lambda:eu-west-1:000000000000:function:local-transform',
      memory: '96',
      id: 'string',
    });
    expect(seen.left).toBeGreaterThan(3000);
    expect(seen.left).toBeLessThanOrEqual(5000);
  });

  it('fails the batch when a recordId is missing or comes back twice', async () => {
    const missing = file('missing.js', `exports.handler = async (e) => ({ records: e.records.slice(1).map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) });`);
    await expect(runTransform(missing, records('a', 'b'))).rejects.toMatchObject({ name: 'TransformBatchError', errorCode: 'Lambda.MissingRecordId', retryable: true });
    const twice = file('twice.js', `exports.handler = async (e) => ({ records: [...e.records, e.records[0]].map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) });`);
    await expect(runTransform(twice, records('a', 'b'))).rejects.toMatchObject({ errorCode: 'Lambda.DuplicatedRecordId' });
  });

  it('fails the batch when the handler throws, answers garbage, or is not there', async () => {
    const throws = file('throws.js', `exports.handler = async () => { throw new TypeError('boom'); };`);
    await expect(runTransform(throws, records('a'))).rejects.toMatchObject({ errorCode: 'Lambda.FunctionError', message: 'TypeError: boom' });
    const garbage = file('garbage.js', `exports.handler = async () => ({ nope: true });`);
    await expect(runTransform(garbage, records('a'))).rejects.toMatchObject({ errorCode: 'Lambda.MalformedResponse' });
    const none = file('none.js', `exports.other = async () => ({});`);
    await expect(runTransform(none, records('a'))).rejects.toMatchObject({ errorCode: 'Runtime.HandlerNotFound' });
  });

  it('passes a 10 MiB record both ways', async () => {
    const path = file('echo.js', `exports.handler = async (e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) });`);
    const big = Buffer.alloc(10 * 1024 * 1024, 7);
    const outcome = await runTransform(path, [{ recordId: 'big', data: big, approximateArrivalTimestamp: 1 }], { memoryMiB: 256 });
    expect(outcome.ok[0]!.data.equals(big)).toBe(true);
  });
});
