import { gzipSync } from 'node:zlib';
import { aggregate } from 'aws-kinesis-agg';
import { compileProcessing, runStages } from './compile-processing';
import { appendDelimiter } from './append-delimiter';
import { cloudWatchLogProcessing } from './cloudwatch-log-processing';
import { decompression } from './decompression';
import { metadataExtraction } from './metadata-extraction';
import { recordDeAggregation, splitJson } from './record-deaggregation';
import { testRecord } from './testing';

const text = (records: { data: Buffer }[]) => records.map((r) => r.data.toString());

const logsMessage = (messageType: string, messages: string[]) =>
  gzipSync(
    JSON.stringify({
      messageType,
      owner: '111111111111',
      logGroup: 'group',
      logStream: 'stream',
      subscriptionFilters: ['f'],
      logEvents: messages.map((message, i) => ({ id: String(i), timestamp: 1432826855000, message })),
    }),
  );

function kplAggregate(payloads: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const encoded: Buffer[] = [];
    aggregate(
      payloads.map((data) => ({ partitionKey: 'pk', data: Buffer.from(data) })),
      (record, done) => {
        encoded.push(record.data);
        done();
      },
      () => resolve(encoded[0]),
      reject,
    );
  });
}

describe('processors', () => {
  it('AppendDelimiterToRecord appends the delimiter to every record', async () => {
    const result = await appendDelimiter(Buffer.from('\n'))([testRecord('a'), testRecord('b', 1)]);
    expect(text(result.records)).toEqual(['a\n', 'b\n']);
  });

  it('Decompression gunzips records and fails what is not gzip', async () => {
    const result = await decompression()([testRecord(gzipSync('hello')), testRecord('plain', 1)]);
    expect(text(result.records)).toEqual(['hello']);
    expect(result.failed).toEqual([expect.objectContaining({ type: 'processing-failed', errorCode: 'Decompression.Failed' })]);
    expect(result.failed[0].record.data.toString()).toBe('plain');
  });

  it('CloudWatchLogProcessing extracts the messages, one per line, and drops control messages', async () => {
    const decompressed = await decompression()([
      testRecord(logsMessage('DATA_MESSAGE', ['{"a":1}', 'second line'])),
      testRecord(logsMessage('CONTROL_MESSAGE', ['CWL CONTROL MESSAGE']), 1),
    ]);
    const result = await cloudWatchLogProcessing(true)(decompressed.records);
    expect(text(result.records)).toEqual(['{"a":1}\nsecond line']);
    expect(result.failed).toEqual([]);
    const untouched = await cloudWatchLogProcessing(false)(decompressed.records);
    expect(untouched.records).toHaveLength(2);
  });

  it('RecordDeAggregation JSON splits concatenated and newline-separated objects', async () => {
    expect(splitJson(Buffer.from('{"a":1}{"a":"}{"}\n {"b":[1,{"c":2}]}')).map(String)).toEqual(['{"a":1}', '{"a":"}{"}', '{"b":[1,{"c":2}]}']);
    const result = await recordDeAggregation('JSON')([testRecord('{"a":1}{"a":2}'), testRecord('[{"a":1}]', 1)]);
    expect(text(result.records)).toEqual(['{"a":1}', '{"a":2}']);
    expect(result.records.map((r) => r.recordId)).toEqual(['r0.0', 'r0.1']);
    expect(result.failed).toEqual([expect.objectContaining({ type: 'processing-failed', errorCode: 'RecordDeAggregation.Failed' })]);
  });

  it('RecordDeAggregation DELIMITED splits on the delimiter', async () => {
    const result = await recordDeAggregation('DELIMITED', Buffer.from('####'))([testRecord('a####bb####c')]);
    expect(text(result.records)).toEqual(['a', 'bb', 'c']);
  });

  it('RecordDeAggregation caps JSON and DELIMITED at 500 sub-records', async () => {
    const result = await recordDeAggregation('DELIMITED', Buffer.from(','))([testRecord(Array.from({ length: 501 }, () => 'x').join(','))]);
    expect(result.records).toEqual([]);
    expect(result.failed[0].errorMessage).toMatch(/more than 500 sub-records/);
  });

  it('RecordDeAggregation KPL unpacks aggregated records and passes plain ones through', async () => {
    const aggregated = await kplAggregate(['one', 'two', 'three']);
    const result = await recordDeAggregation('KPL')([testRecord(aggregated), testRecord('plain', 1)]);
    expect(text(result.records)).toEqual(['one', 'two', 'three', 'plain']);
  });

  it('MetadataExtraction stores the query object in partitionKeys.query', async () => {
    const stage = metadataExtraction('{customer_id: .customer_id, device: .type.device, year: .ts | strftime("%Y")}');
    const result = await stage([
      testRecord({ customer_id: '42', type: { device: 'mobile' }, ts: 1565382027 }),
      testRecord({ customer_id: 7, type: { device: 'web' }, ts: 1700000000 }, 1),
    ]);
    expect(result.failed).toEqual([]);
    expect(result.records.map((r) => r.partitionKeys?.query)).toEqual([
      { customer_id: '42', device: 'mobile', year: '2019' },
      { customer_id: '7', device: 'web', year: '2023' },
    ]);
  });

  it('MetadataExtraction fails non-JSON records, failing queries and null keys as partitioning-failed', async () => {
    const stage = metadataExtraction('{k: .a.b, t: (.n | tostring | ltrimstr("x") | tonumber)}');
    const result = await stage([
      testRecord('not json'),
      testRecord({ a: { b: 'ok' }, n: 'abc' }, 1),
      testRecord({ a: {}, n: 1 }, 2),
      testRecord({ a: { b: 'fine' }, n: 2 }, 3),
    ]);
    expect(result.records.map((r) => r.partitionKeys?.query)).toEqual([{ k: 'fine', t: '2' }]);
    expect(result.failed.map((f) => [f.record.recordId, f.type])).toEqual([
      ['r0', 'partitioning-failed'],
      ['r1', 'partitioning-failed'],
      ['r2', 'partitioning-failed'],
    ]);
    expect(result.failed[0].errorMessage).toBe('Non JSON record provided');
    expect(result.failed[2].errorMessage).toMatch(/partition key k evaluated to null/);
  });

  it('MetadataExtraction keeps working over a batch larger than one jq chunk', async () => {
    const records = Array.from({ length: 450 }, (_, i) => testRecord({ customer: `c${i % 3}`, pad: 'p'.repeat(600) }, i));
    const result = await metadataExtraction('{customer: .customer}')(records);
    expect(result.records).toHaveLength(450);
    expect(result.records[449].partitionKeys?.query).toEqual({ customer: 'c2' });
  });

  it('compiles processors in AWS order around the Lambda', async () => {
    const compiled = await compileProcessing({
      Enabled: true,
      Processors: [
        { Type: 'AppendDelimiterToRecord' },
        { Type: 'MetadataExtraction', Parameters: [{ ParameterName: 'MetadataExtractionQuery', ParameterValue: '{k: .k}' }, { ParameterName: 'JsonParsingEngine', ParameterValue: 'JQ-1.6' }] },
        { Type: 'Lambda', Parameters: [{ ParameterName: 'LambdaArn', ParameterValue: 'arn:f' }] },
        { Type: 'RecordDeAggregation', Parameters: [{ ParameterName: 'SubRecordType', ParameterValue: 'JSON' }] },
        { Type: 'Decompression', Parameters: [{ ParameterName: 'CompressionFormat', ParameterValue: 'GZIP' }] },
      ],
    });
    expect(compiled.before).toHaveLength(2);
    expect(compiled.after).toHaveLength(2);
    expect(compiled.lambda?.functionArn).toBe('arn:f');

    const before = await runStages(compiled.before, [testRecord(gzipSync('{"k":"a"}{"k":"b"}'))]);
    const after = await runStages(compiled.after, before.records);
    expect(text(after.records)).toEqual(['{"k":"a"}\n', '{"k":"b"}\n']);
    expect(after.records.map((r) => r.partitionKeys?.query?.k)).toEqual(['a', 'b']);
  });
});
