import { ShardlineError } from '../errors';
import { FakeKinesisBackend } from './fake-backend';
import { serializeGetRecords, type GetRecordsOutput } from './get-records';
import { kinesisOperations, runOperation } from './index';
import type { OperationContext } from './operation';

const NOW = new Date('2024-01-01T00:00:00.123Z');
const ctx: OperationContext = { region: 'us-east-1', accountId: '123456789012', now: () => NOW };

function run(backend: FakeKinesisBackend, name: string, body: Record<string, unknown>): Promise<unknown> {
  const operation = kinesisOperations.get(name);
  if (!operation) throw new Error(`no operation ${name}`);
  return runOperation(operation, backend, body, ctx);
}

async function failure(promise: Promise<unknown>): Promise<{ type: string; message: string; retriable: boolean }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ShardlineError) return { type: err.type, message: err.message, retriable: err.retriable };
    throw err;
  }
  throw new Error('expected a failure');
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

function streamBackend(): FakeKinesisBackend {
  const backend = new FakeKinesisBackend(NOW);
  backend.addStream('s');
  return backend;
}

describe('PutRecord', () => {
  it('passes the decoded record and answers ShardId, SequenceNumber, EncryptionType', async () => {
    const backend = streamBackend();
    const result = await run(backend, 'PutRecord', {
      StreamName: 's',
      Data: b64('hello'),
      PartitionKey: 'pk',
      ExplicitHashKey: '340282366920938463463374607431768211455',
      SequenceNumberForOrdering: '1',
    });
    expect(result).toEqual({ ShardId: 'shardId-000000000000', SequenceNumber: '1000', EncryptionType: 'NONE' });
    expect(backend.lastPut).toEqual({
      ref: { name: 's' },
      records: [{ partitionKey: 'pk', data: Buffer.from('hello'), explicitHashKey: (1n << 128n) - 1n }],
    });
  });

  it('refuses an ExplicitHashKey above 2^128-1 in AWS words', async () => {
    const backend = streamBackend();
    const key = '340282366920938463463374607431768211456';
    expect(await failure(run(backend, 'PutRecord', { StreamName: 's', Data: '', PartitionKey: 'p', ExplicitHashKey: key }))).toEqual({
      type: 'InvalidArgumentException',
      message: `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${key}`,
      retriable: false,
    });
    expect(backend.lastPut).toBeUndefined();
  });

  it('turns a failed record into the error itself, retriable', async () => {
    const backend = streamBackend();
    backend.putResults = [{ errorCode: 'ProvisionedThroughputExceededException', errorMessage: 'Rate exceeded for shard' }];
    expect(await failure(run(backend, 'PutRecord', { StreamName: 's', Data: '', PartitionKey: 'p' }))).toEqual({
      type: 'ProvisionedThroughputExceededException',
      message: 'Rate exceeded for shard',
      retriable: true,
    });
  });
});

describe('PutRecords', () => {
  it('maps each record and answers results in request order with FailedRecordCount', async () => {
    const backend = streamBackend();
    backend.putResults = [
      { shardId: 'shardId-000000000000', sequenceNumber: '1' },
      { errorCode: 'InternalFailure', errorMessage: 'Internal service failure.' },
    ];
    const result = await run(backend, 'PutRecords', {
      StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
      Records: [
        { Data: b64('a'), PartitionKey: 'p1' },
        { Data: b64('b'), PartitionKey: 'p2', ExplicitHashKey: '7' },
      ],
    });
    expect(result).toEqual({
      FailedRecordCount: 1,
      Records: [
        { SequenceNumber: '1', ShardId: 'shardId-000000000000' },
        { ErrorCode: 'InternalFailure', ErrorMessage: 'Internal service failure.' },
      ],
      EncryptionType: 'NONE',
    });
    expect(backend.lastPut?.records).toEqual([
      { partitionKey: 'p1', data: Buffer.from('a') },
      { partitionKey: 'p2', data: Buffer.from('b'), explicitHashKey: 7n },
    ]);
  });

  it('refuses a request over 5 MiB of data and partition keys', async () => {
    const backend = streamBackend();
    const mib = Buffer.alloc(1048576).toString('base64');
    const records = Array.from({ length: 5 }, (_, i) => ({ Data: mib, PartitionKey: `p${i}` }));
    const error = await failure(run(backend, 'PutRecords', { StreamName: 's', Records: records }));
    expect(error).toEqual({
      type: 'InvalidArgumentException',
      message: 'Records size of 5242890 bytes (data and partition keys) exceeds the PutRecords request limit of 5242880 bytes.',
      retriable: false,
    });
    expect(backend.lastPut).toBeUndefined();
  });

  it('accepts exactly 5 MiB', async () => {
    const backend = streamBackend();
    const data = Buffer.alloc(1048576 - 1).toString('base64');
    const records = Array.from({ length: 5 }, () => ({ Data: data, PartitionKey: 'p' }));
    await expect(run(backend, 'PutRecords', { StreamName: 's', Records: records })).resolves.toMatchObject({ FailedRecordCount: 0 });
  });
});

describe('GetShardIterator', () => {
  it('passes the shard and the iterator request', async () => {
    const backend = streamBackend();
    const result = await run(backend, 'GetShardIterator', {
      StreamName: 's',
      ShardId: 'shardId-000000000000',
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER',
      StartingSequenceNumber: '42',
    });
    expect(result).toEqual({ ShardIterator: 'iterator:shardId-000000000000:AFTER_SEQUENCE_NUMBER' });
    expect(backend.lastIterator).toEqual({
      ref: { name: 's' },
      shardId: 'shardId-000000000000',
      request: { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '42' },
    });
  });

  it('passes an AT_TIMESTAMP timestamp as a Date', async () => {
    const backend = streamBackend();
    await run(backend, 'GetShardIterator', { StreamName: 's', ShardId: 'shardId-0', ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 1704067200.5 });
    expect(backend.lastIterator?.request).toEqual({ type: 'AT_TIMESTAMP', timestamp: new Date(1704067200500) });
  });
});

describe('GetRecords', () => {
  it('answers records with their data and epoch-second arrival times (base64 once serialized)', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.getRecordsResult = {
      records: [{ sequenceNumber: '5', partitionKey: 'pk', data: Buffer.from('hi'), arrivalTimestamp: new Date(1704067200123) }],
      nextShardIterator: 'next-it',
      millisBehindLatest: 12,
    };
    expect(await run(backend, 'GetRecords', { ShardIterator: 'it' })).toEqual({
      Records: [{ SequenceNumber: '5', ApproximateArrivalTimestamp: 1704067200.123, Data: Buffer.from('hi'), PartitionKey: 'pk' }],
      NextShardIterator: 'next-it',
      MillisBehindLatest: 12,
    });
    expect(backend.lastGetRecords).toEqual({ iterator: 'it', limit: 10000 });
  });

  it('omits NextShardIterator at the end of a closed shard and names the children', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.getRecordsResult = {
      records: [],
      nextShardIterator: null,
      millisBehindLatest: 0,
      childShards: [{ shardId: 'shardId-000000000002', parentShards: ['shardId-000000000000'], hashKeyStart: 0n, hashKeyEnd: 99n }],
    };
    expect(await run(backend, 'GetRecords', { ShardIterator: 'it', Limit: 5 })).toEqual({
      Records: [],
      MillisBehindLatest: 0,
      ChildShards: [
        {
          ShardId: 'shardId-000000000002',
          ParentShards: ['shardId-000000000000'],
          HashKeyRange: { StartingHashKey: '0', EndingHashKey: '99' },
        },
      ],
    });
    expect(backend.lastGetRecords).toEqual({ iterator: 'it', limit: 5 });
  });
});

describe('serializeGetRecords', () => {
  it('writes exactly what JSON.stringify writes, with Data in base64', () => {
    const output: GetRecordsOutput = {
      Records: [
        { SequenceNumber: '4'.padEnd(40, '0'), ApproximateArrivalTimestamp: 1700000000.123, Data: Buffer.from('hello'), PartitionKey: 'ünï "quoted" \\ \n' },
        { SequenceNumber: '4'.padEnd(40, '1'), ApproximateArrivalTimestamp: 1700000001, Data: Buffer.alloc(0), PartitionKey: 'k' },
        // Every padding length: 1, 2 and 3 bytes mod 3.
        ...[1, 2, 3, 1024].map((n, i) => ({ SequenceNumber: String(i), ApproximateArrivalTimestamp: 1, Data: Buffer.alloc(n, i + 250), PartitionKey: '鍵' })),
      ],
      MillisBehindLatest: 12,
      NextShardIterator: 'abc.def',
      ChildShards: [{ ShardId: 'shardId-000000000002', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '0', EndingHashKey: '1' } }],
    };
    expect(serializeGetRecords(output).toString('utf8')).toBe(JSON.stringify(output, base64Data));
    expect(serializeGetRecords({ Records: [], MillisBehindLatest: 0 }).toString('utf8')).toBe(JSON.stringify({ Records: [], MillisBehindLatest: 0 }));
  });
});

/** JSON.stringify's replacer for the wire: Data (a Buffer, which stringifies itself as {type, data} first) in base64. */
function base64Data(this: unknown, key: string, value: unknown): unknown {
  return key === 'Data' && typeof value === 'object' && value !== null ? Buffer.from((value as { data: number[] }).data).toString('base64') : value;
}
