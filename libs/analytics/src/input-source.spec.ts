import type { DeliveryStream, Stream } from '@shardline/protocol';
import { inputShape, resolveInput, type InputLookups } from './input-source';
import { isBareSelect } from './preview';

const stream = (name: string) => ({ id: `id-${name}`, name, shards: [{ shardId: 'shardId-000000000000', status: 'OPEN' }] }) as unknown as Stream;
const deliveryStream = (name: string, extra: Partial<DeliveryStream>) => ({ id: `ds-${name}`, name, status: 'ACTIVE', type: 'DirectPut', ...extra }) as DeliveryStream;

const lookups: InputLookups = {
  stream: async (name) => (name === 'sensors' ? stream(name) : undefined),
  deliveryStream: async (name) =>
    ({
      direct: deliveryStream('direct', {}),
      fromKinesis: deliveryStream('fromKinesis', { type: 'KinesisStreamAsSource', source: { kinesisStreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/sensors' } as DeliveryStream['source'] }),
      orphan: deliveryStream('orphan', { type: 'KinesisStreamAsSource', source: { kinesisStreamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/gone' } as DeliveryStream['source'] }),
      leaving: deliveryStream('leaving', { status: 'DELETING' }),
    })[name],
};

describe('resolveInput', () => {
  it('reads a stream, a DirectPut delivery stream, or a KinesisStreamAsSource one’s source stream', async () => {
    expect(await resolveInput({ streamName: 'sensors' }, lookups)).toMatchObject({ kind: 'stream', stream: { name: 'sensors' } });
    expect(await resolveInput({ deliveryStreamName: 'direct' }, lookups)).toMatchObject({ kind: 'directPut', deliveryStream: { id: 'ds-direct' } });
    expect(await resolveInput({ deliveryStreamName: 'fromKinesis' }, lookups)).toMatchObject({ kind: 'stream', stream: { name: 'sensors' } });
  });

  it('finds nothing for a missing stream, delivery stream or source stream, or a delivery stream being deleted', async () => {
    for (const input of [{ streamName: 'nope' }, { deliveryStreamName: 'nope' }, { deliveryStreamName: 'orphan' }, { deliveryStreamName: 'leaving' }]) {
      expect(await resolveInput(input, lookups)).toBeUndefined();
    }
  });

  it('fingerprints what is read, so a reshard or another delivery stream restarts the runner', async () => {
    expect(inputShape(undefined)).toBe('missing');
    expect(inputShape(await resolveInput({ deliveryStreamName: 'direct' }, lookups))).toBe('directPut:ds-direct');
    expect(inputShape(await resolveInput({ streamName: 'sensors' }, lookups))).toBe('shardId-000000000000/OPEN');
  });
});

describe('isBareSelect', () => {
  it('tells one SELECT from an application’s statements, past comments and case', () => {
    expect(isBareSelect('SELECT STREAM * FROM SOURCE_SQL_STREAM_001')).toBe(true);
    expect(isBareSelect('  -- peek\n/* at */ select a from "SOURCE_SQL_STREAM_001"')).toBe(true);
    expect(isBareSelect('CREATE STREAM "S" (a INTEGER); CREATE PUMP "P" AS INSERT INTO "S" SELECT STREAM a FROM SOURCE_SQL_STREAM_001')).toBe(false);
    expect(isBareSelect('SELECTED')).toBe(false);
  });
});
