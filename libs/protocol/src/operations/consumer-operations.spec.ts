import { ShardlineError } from '../errors';
import { decodeMessage } from '../event-stream';
import { EventStreamOutput } from './event-stream-output';
import { FakeKinesisBackend } from './fake-backend';
import type { OperationContext } from './operation';
import { failure, runNamed } from './testing';

const NOW = new Date('2024-01-01T00:00:00.123Z');
const ctx: OperationContext = { region: 'us-east-1', accountId: '123456789012', now: () => NOW };
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';

const run = (backend: FakeKinesisBackend, name: string, body: Record<string, unknown>) => runNamed(backend, name, body, ctx);


async function frames(output: EventStreamOutput) {
  const out: Array<{ headers: Record<string, unknown>; body: string }> = [];
  for await (const frame of output.frames()) out.push(decodeMessage(frame));
  return out;
}

describe('enhanced fan-out consumer operations', () => {
  it('registers a consumer and answers it in wire shape', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    expect(await run(backend, 'RegisterStreamConsumer', { StreamARN: STREAM_ARN, ConsumerName: 'app' })).toEqual({
      Consumer: {
        ConsumerName: 'app',
        ConsumerARN: `${STREAM_ARN}/consumer/app:1704067200`,
        ConsumerStatus: 'CREATING',
        ConsumerCreationTimestamp: 1704067200.123,
      },
    });
    expect(backend.lastConsumerTags).toBeUndefined();
    await run(backend, 'RegisterStreamConsumer', { StreamARN: STREAM_ARN, ConsumerName: 'tagged', Tags: { team: 'data' } });
    expect(backend.lastConsumerTags).toEqual([{ key: 'team', value: 'data' }]);
    const described = await run(backend, 'DescribeStreamConsumer', { StreamARN: STREAM_ARN, ConsumerName: 'app' });
    expect(described).toMatchObject({ ConsumerDescription: { ConsumerName: 'app', StreamARN: STREAM_ARN } });
  });

  it('validates names, ARNs and the consumer reference rule', async () => {
    const backend = new FakeKinesisBackend(NOW);
    expect(await failure(run(backend, 'RegisterStreamConsumer', { StreamARN: STREAM_ARN, ConsumerName: 'a b' }))).toEqual({
      type: 'ValidationException',
      message:
        "1 validation error detected: Value 'a b' at 'consumerName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+',
    });
    expect(await failure(run(backend, 'DescribeStreamConsumer', { ConsumerName: 'app' }))).toEqual({
      type: 'InvalidArgumentException',
      message: 'ConsumerARN or both ConsumerName and StreamARN are required for this request.',
    });
    expect((await failure(run(backend, 'DeregisterStreamConsumer', { ConsumerARN: 'not-an-arn' }))).type).toBe('ValidationException');
  });

  it('pages ListStreamConsumers by name with an expiring NextToken', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    for (const name of ['c', 'a', 'b']) await backend.registerConsumer(STREAM_ARN, name);
    const first = (await run(backend, 'ListStreamConsumers', { StreamARN: STREAM_ARN, MaxResults: 2 })) as {
      Consumers: Array<{ ConsumerName: string }>;
      NextToken: string;
    };
    expect(first.Consumers.map((c) => c.ConsumerName)).toEqual(['a', 'b']);
    const second = (await run(backend, 'ListStreamConsumers', { StreamARN: STREAM_ARN, NextToken: first.NextToken })) as {
      Consumers: Array<{ ConsumerName: string }>;
      NextToken?: string;
    };
    expect(second).toEqual({ Consumers: [expect.objectContaining({ ConsumerName: 'c' })] });
  });
});

describe('SubscribeToShard', () => {
  const body = (position: Record<string, unknown>) => ({
    ConsumerARN: `${STREAM_ARN}/consumer/app:1704067200`,
    ShardId: 'shardId-000000000000',
    StartingPosition: position,
  });

  it('checks the StartingPosition members its Type needs', async () => {
    const backend = new FakeKinesisBackend(NOW);
    expect(await failure(run(backend, 'SubscribeToShard', body({ Type: 'AT_SEQUENCE_NUMBER' })))).toEqual({
      type: 'InvalidArgumentException',
      message: 'StartingPosition of type AT_SEQUENCE_NUMBER requires a SequenceNumber.',
    });
    expect((await failure(run(backend, 'SubscribeToShard', body({ Type: 'AT_TIMESTAMP' })))).type).toBe('InvalidArgumentException');
    expect((await failure(run(backend, 'SubscribeToShard', body({ Type: 'SOMEWHERE' })))).type).toBe('ValidationException');
  });

  it('answers an initial response, one event per domain event, and an exception that ends the stream', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.subscriptionEvents = [
      {
        records: [
          { sequenceNumber: '41', partitionKey: 'pk', data: Buffer.from('hi'), arrivalTimestamp: NOW },
          { sequenceNumber: '42', partitionKey: 'pk', data: Buffer.from('hi'), arrivalTimestamp: NOW, encrypted: true },
        ],
        continuationSequenceNumber: '42',
        millisBehindLatest: 0,
      },
      {
        records: [],
        millisBehindLatest: 0,
        childShards: [{ shardId: 'shardId-000000000001', parentShards: ['shardId-000000000000'], hashKeyStart: 0n, hashKeyEnd: 5n }],
      },
    ];
    backend.subscriptionError = new ShardlineError('ResourceInUseException', 'taken over');
    const output = await run(backend, 'SubscribeToShard', body({ Type: 'AT_TIMESTAMP', Timestamp: 1704067200 }));
    expect(output).toBeInstanceOf(EventStreamOutput);
    expect(backend.lastSubscribe?.start).toEqual({ type: 'AT_TIMESTAMP', timestamp: new Date(1704067200_000) });
    const messages = await frames(output as EventStreamOutput);
    expect(messages.map((m) => m.headers[':event-type'] ?? m.headers[':exception-type'])).toEqual([
      'initial-response',
      'SubscribeToShardEvent',
      'SubscribeToShardEvent',
      'ResourceInUseException',
    ]);
    expect(JSON.parse(messages[1]!.body)).toEqual({
      Records: [
        { SequenceNumber: '41', ApproximateArrivalTimestamp: 1704067200.123, Data: 'aGk=', PartitionKey: 'pk', EncryptionType: 'NONE' },
        { SequenceNumber: '42', ApproximateArrivalTimestamp: 1704067200.123, Data: 'aGk=', PartitionKey: 'pk', EncryptionType: 'KMS' },
      ],
      ContinuationSequenceNumber: '42',
      MillisBehindLatest: 0,
    });
    expect(JSON.parse(messages[2]!.body)).toEqual({
      Records: [],
      MillisBehindLatest: 0,
      ChildShards: [
        { ShardId: 'shardId-000000000001', ParentShards: ['shardId-000000000000'], HashKeyRange: { StartingHashKey: '0', EndingHashKey: '5' } },
      ],
    });
    expect(messages[3]).toEqual({
      headers: { ':exception-type': 'ResourceInUseException', ':message-type': 'exception', ':content-type': 'application/json' },
      body: '{"message":"taken over"}',
    });
  });
});
