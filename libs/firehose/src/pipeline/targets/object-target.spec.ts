import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ParquetReader } from '@dsnp/parquetjs';
import { DirectoryObjectStore } from '../../destinations';
import { compileProcessing } from '../../processing/compile-processing';
import { testRecord } from '../../processing/testing';
import { resolvePrefixes } from '../../partitioning/prefixes';
import { toBatch } from '../batch';
import { DeliveryMetrics } from './delivery-metrics';
import { ObjectTarget, type ObjectTargetOptions } from './object-target';
import type { BatchProcessing } from './process-batch';

const NOW = Date.UTC(2024, 0, 2, 3, 30, 0);

describe('ObjectTarget (ExtendedS3 onto the directory store)', () => {
  let root: string;
  let store: DirectoryObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'object-target-'));
    store = new DirectoryObjectStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const target = (overrides: Partial<ObjectTargetOptions> = {}) =>
    new ObjectTarget({
      store,
      bucket: 'bucket',
      deliveryStreamName: 'orders',
      deliveryStreamVersion: 1,
      prefixes: resolvePrefixes(undefined, undefined, false),
      compression: 'GZIP',
      processing: { before: [], after: [] },
      metrics: new DeliveryMetrics(),
      now: () => NOW,
      ...overrides,
    });

  const batchOf = (records: ReturnType<typeof testRecord>[]) => toBatch('', 10, records.map((r) => ({ seq: r.position.seq, records: [r], bytes: r.data.length })));

  it('writes one GZIP object named after its stream, version, time and positions, under the default time prefix', async () => {
    const records = ['a\n', 'b\n', 'c\n'].map((text, i) => testRecord(text, i));
    const metrics = new DeliveryMetrics();
    await target({ metrics }).deliver(batchOf(records));
    const keys = await store.list('bucket');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^2024\/01\/02\/03\/orders-1-2024-01-02-03-04-05-[0-9a-f-]{36}\.gz$/);
    expect(gunzipSync(await store.get('bucket', keys[0])).toString()).toBe('a\nb\nc\n');
    expect(metrics.snapshot()).toMatchObject({ 'DeliveryToS3.Records': 3, 'DeliveryToS3.Success': 1, 'DeliveryToS3.DataFreshness': 1555 });
  });

  it('overwrites the same object when the same batch is delivered again', async () => {
    const records = ['x\n', 'y\n'].map((text, i) => testRecord(text, i));
    await target().deliver(batchOf(records));
    await target().deliver(batchOf(records));
    expect(await store.list('bucket')).toHaveLength(1);
  });

  it('partitions by jq-extracted keys and sends records without the key to the error output', async () => {
    const compiled = await compileProcessing({
      Enabled: true,
      Processors: [
        { Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{customer: .customer}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] },
        { Type: 'AppendDelimiterToRecord', Parameters: [] },
      ],
    });
    const processing: BatchProcessing = { before: compiled.before, after: compiled.after };
    const records = [{ customer: 'acme', n: 1 }, { customer: 'globex', n: 2 }, { customer: 'acme', n: 3 }, 'not json'].map((d, i) => testRecord(d, i));
    await target({
      processing,
      compression: 'UNCOMPRESSED',
      prefixes: resolvePrefixes('customer=!{partitionKeyFromQuery:customer}/', 'errors/!{firehose:error-output-type}/', true),
    }).deliver(batchOf(records));
    const keys = await store.list('bucket');
    const acme = keys.filter((k) => k.startsWith('customer=acme/'));
    const globex = keys.filter((k) => k.startsWith('customer=globex/'));
    const errors = keys.filter((k) => k.startsWith('errors/partitioning-failed/'));
    expect([acme.length, globex.length, errors.length, keys.length]).toEqual([1, 1, 1, 3]);
    expect((await store.get('bucket', acme[0])).toString()).toBe('{"customer":"acme","n":1}\n{"customer":"acme","n":3}\n');
    const failure = JSON.parse((await store.get('bucket', errors[0])).toString().trim());
    expect(failure).toMatchObject({ attemptsMade: 1, rawData: Buffer.from('not json').toString('base64') });
    expect(failure.errorCode).toEqual(expect.any(String));
  });

  it('converts to Parquet and routes records that do not fit the schema to format-conversion-failed', async () => {
    const records = [{ id: 1, name: 'one' }, { id: 'two', name: 'bad id' }, { id: 3, name: 'three' }].map((d, i) => testRecord(d, i));
    await target({
      compression: 'UNCOMPRESSED',
      conversion: { columns: [{ Name: 'id', Type: 'int' }, { Name: 'name', Type: 'string' }], compression: 'SNAPPY' },
    }).deliver(batchOf(records));
    const keys = await store.list('bucket');
    const parquet = keys.filter((k) => k.endsWith('.parquet'));
    const failed = keys.filter((k) => k.includes('format-conversion-failed'));
    expect([parquet.length, failed.length]).toEqual([1, 1]);
    const path = join(root, 'bucket', parquet[0]);
    const reader = await ParquetReader.openFile(path);
    const cursor = reader.getCursor();
    const rows: unknown[] = [];
    for (let row = await cursor.next(); row; row = await cursor.next()) rows.push(row);
    await reader.close();
    expect(rows).toEqual([{ id: 1, name: 'one' }, { id: 3, name: 'three' }]);
    expect(JSON.parse((await store.get('bucket', failed[0])).toString().trim())).toMatchObject({ lastErrorCode: 'DataFormatConversion.MalformedData' });
  });

  it('retries a failing transform NumberOfRetries times, then sends its records to processing-failed', async () => {
    let calls = 0;
    const processing: BatchProcessing = {
      before: [],
      after: [],
      transform: {
        functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:broken',
        numberOfRetries: 2,
        bufferSizeBytes: 1 << 20,
        concurrency: 1,
        invoke: async () => {
          calls++;
          throw new Error('plugin exploded');
        },
      },
    };
    await target({ processing, compression: 'UNCOMPRESSED' }).deliver(batchOf([testRecord('r\n', 0), testRecord('s\n', 1)]));
    expect(calls).toBe(3);
    const keys = await store.list('bucket');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^processing-failed\/2024\/01\/02\/03\//);
    const lines = (await store.get('bucket', keys[0])).toString().trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ attemptsMade: 3, errorCode: 'Lambda.FunctionError', errorMessage: 'plugin exploded', lambdaArn: 'arn:aws:lambda:us-east-1:000000000000:function:broken' });
  });
});
