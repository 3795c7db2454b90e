import { FakeKinesisBackend } from './fake-backend';
import { serializeGetRecords } from './get-records';
import type { OperationContext } from './operation';
import { failure, runNamed } from './testing';

const NOW = new Date('2024-01-01T00:00:00.123Z');
const ctx: OperationContext = { region: 'us-east-1', accountId: '123456789012', now: () => NOW };
const ALL = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
];

const run = (backend: FakeKinesisBackend, name: string, body: Record<string, unknown>) => runNamed(backend, name, body, ctx);


describe('DescribeLimits', () => {
  it('answers the account limits in AWS shape', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.limits = { shardLimit: 500, openShardCount: 7, onDemandStreamCount: 2, onDemandStreamCountLimit: 50 };
    expect(await run(backend, 'DescribeLimits', {})).toEqual({
      ShardLimit: 500,
      OpenShardCount: 7,
      OnDemandStreamCount: 2,
      OnDemandStreamCountLimit: 50,
    });
  });
});

describe('Enable/DisableEnhancedMonitoring', () => {
  it('answers the metrics before and after, expanding ALL, in AWS order and without repeats', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    expect(await run(backend, 'EnableEnhancedMonitoring', { StreamName: 's', ShardLevelMetrics: ['OutgoingBytes', 'IncomingBytes', 'IncomingBytes'] })).toEqual({
      StreamName: 's',
      StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s',
      CurrentShardLevelMetrics: [],
      DesiredShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes'],
    });
    expect(await run(backend, 'EnableEnhancedMonitoring', { StreamName: 's', ShardLevelMetrics: ['ALL'] })).toMatchObject({
      CurrentShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes'],
      DesiredShardLevelMetrics: ALL,
    });
    expect(await run(backend, 'DisableEnhancedMonitoring', { StreamName: 's', ShardLevelMetrics: ['IncomingBytes'] })).toMatchObject({
      CurrentShardLevelMetrics: ALL,
      DesiredShardLevelMetrics: ALL.filter((m) => m !== 'IncomingBytes'),
    });
    expect(await run(backend, 'DisableEnhancedMonitoring', { StreamName: 's', ShardLevelMetrics: ['ALL'] })).toMatchObject({
      DesiredShardLevelMetrics: [],
    });
  });

  it('validates the metric names and the list length', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    const bad = await failure(run(backend, 'EnableEnhancedMonitoring', { StreamName: 's', ShardLevelMetrics: ['Nope'] }));
    expect(bad.type).toBe('ValidationException');
    expect(bad.message).toContain('shardLevelMetrics');
    expect((await failure(run(backend, 'EnableEnhancedMonitoring', { StreamName: 's', ShardLevelMetrics: [] }))).type).toBe(
      'ValidationException',
    );
    expect((await failure(run(backend, 'DisableEnhancedMonitoring', { StreamName: 's' }))).type).toBe('ValidationException');
  });
});

describe('Start/StopStreamEncryption', () => {
  it('starts and stops KMS encryption, and puts report it', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    const put = () => run(backend, 'PutRecords', { StreamName: 's', Records: [{ PartitionKey: 'p', Data: 'AA==' }] });
    expect(await put()).toMatchObject({ EncryptionType: 'NONE' });
    expect(await run(backend, 'StartStreamEncryption', { StreamName: 's', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' })).toEqual({});
    expect(backend.streams.get('s')).toMatchObject({ encryptionType: 'KMS', keyId: 'alias/aws/kinesis' });
    expect(await put()).toMatchObject({ EncryptionType: 'KMS' });
    expect(await run(backend, 'PutRecord', { StreamName: 's', PartitionKey: 'p', Data: 'AA==' })).toMatchObject({ EncryptionType: 'KMS' });
    expect(await run(backend, 'StopStreamEncryption', { StreamName: 's', EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' })).toEqual({});
    expect(await put()).toMatchObject({ EncryptionType: 'NONE' });
  });

  it('requires EncryptionType KMS and a KeyId', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    expect((await failure(run(backend, 'StartStreamEncryption', { StreamName: 's', EncryptionType: 'KMS' }))).type).toBe('ValidationException');
    expect((await failure(run(backend, 'StartStreamEncryption', { StreamName: 's', EncryptionType: 'AES', KeyId: 'k' }))).type).toBe(
      'ValidationException',
    );
    expect((await failure(run(backend, 'StartStreamEncryption', { StreamName: 's', EncryptionType: 'NONE', KeyId: 'k' }))).type).toBe(
      'InvalidArgumentException',
    );
    expect(await failure(run(backend, 'StartStreamEncryption', { StreamName: 's', EncryptionType: 'KMS', KeyId: 'alias/unknown' }))).toEqual({
      type: 'KMSNotFoundException',
      message: "Invalid keyId 'alias/unknown'",
    });
  });
});

describe('GetRecords EncryptionType', () => {
  it('writes EncryptionType KMS on encrypted records only, as JSON.stringify would', async () => {
    const backend = new FakeKinesisBackend(NOW);
    const arrivalTimestamp = new Date(1_700_000_000_123);
    backend.getRecordsResult = {
      records: [
        { sequenceNumber: '1', partitionKey: 'a', data: Buffer.from('x'), arrivalTimestamp, encrypted: true },
        { sequenceNumber: '2', partitionKey: 'b', data: Buffer.from('y'), arrivalTimestamp },
      ],
      nextShardIterator: 'n',
      millisBehindLatest: 0,
    };
    const output = (await run(backend, 'GetRecords', { ShardIterator: 'it' })) as Parameters<typeof serializeGetRecords>[0];
    expect(output.Records.map((r) => r.EncryptionType)).toEqual(['KMS', undefined]);
    expect(JSON.parse(serializeGetRecords(output).toString('utf8')).Records.map((r: { EncryptionType?: string }) => r.EncryptionType)).toEqual(['KMS', undefined]);
  });
});
