import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { cbor as cborCodec } from '@smithy/core/cbor';
import { asJsonShape, CBOR_11, cborRequest, cborTimestamp } from '../support/cbor-client';
import { createActiveStream } from '../support/kinesis';
import { kinesisClient, startTestPlatform, TRANSPORTS, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { rawKinesisRequest } from '../support/raw-http';

/** The same call in the JSON protocol, through a raw request (the SDK cannot send CBOR). */
async function jsonRequest(platform: TestPlatform, transport: 'h2c' | 'http1', operation: string, input: object) {
  const answer = await rawKinesisRequest(platform.endpoint, transport, {
    target: `Kinesis_20131202.${operation}`,
    body: JSON.stringify(input),
  });
  return { status: answer.status, contentType: answer.headers['content-type'], body: answer.json };
}

describe.each(TRANSPORTS)('application/x-amz-cbor-1.1 over %s', (transport) => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;
  const StreamName = randomName('cbor');
  const ShardId = 'shardId-000000000000';

  beforeAll(async () => {
    platform = await startTestPlatform();
    kinesis = kinesisClient(platform.endpoint, transport);
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  const cbor = (operation: string, input: object) => cborRequest(platform.endpoint, transport, operation, input);
  const json = (operation: string, input: object) => jsonRequest(platform, transport, operation, input);

  it('puts records with bytes and reads them back as the JSON protocol does', async () => {
    const before = new Date(Date.now() - 1000);
    const one = await cbor('PutRecord', { StreamName, PartitionKey: 'a', Data: Buffer.from([0, 1, 2, 255]) });
    expect(one).toMatchObject({ status: 200, contentType: CBOR_11, body: { ShardId, EncryptionType: 'NONE' } });
    const many = await cbor('PutRecords', {
      StreamName,
      Records: [
        { PartitionKey: 'b', Data: Buffer.from('two') },
        { PartitionKey: 'c', Data: new Uint8Array(0) },
      ],
    });
    expect(many.body).toMatchObject({ FailedRecordCount: 0 });
    const viaJson = await json('PutRecord', { StreamName, PartitionKey: 'd', Data: Buffer.from('four').toString('base64') });
    expect(viaJson.status).toBe(200);

    // AT_TIMESTAMP with a tagged epoch-milliseconds timestamp, as the Java SDK sends it.
    const iterator = await cbor('GetShardIterator', { StreamName, ShardId, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: cborTimestamp(before) });
    expect(iterator.status).toBe(200);
    const ShardIterator = iterator.body.ShardIterator as string;
    const [fromCbor, fromJson] = [await cbor('GetRecords', { ShardIterator }), await json('GetRecords', { ShardIterator })];
    const records = fromCbor.body.Records as Array<{ Data: Uint8Array; ApproximateArrivalTimestamp: { tag: number; value: number } }>;
    expect(records.map((r) => Buffer.from(r.Data).toString('hex'))).toEqual(['000102ff', '74776f', '', '666f7572']);
    expect(records[0].ApproximateArrivalTimestamp.tag).toBe(1);
    expect(Number.isInteger(records[0].ApproximateArrivalTimestamp.value)).toBe(true);
    const { NextShardIterator: _a, ...cborShape } = asJsonShape(fromCbor.body) as Record<string, unknown>;
    const { NextShardIterator: _b, ...jsonShape } = fromJson.body!;
    expect(cborShape).toEqual(jsonShape);
  });

  it('describes a stream as the JSON protocol does', async () => {
    const [a, b] = [await cbor('DescribeStreamSummary', { StreamName }), await json('DescribeStreamSummary', { StreamName })];
    expect(a.status).toBe(200);
    const summary = a.body.StreamDescriptionSummary as { StreamCreationTimestamp: { tag: number } };
    expect(summary.StreamCreationTimestamp.tag).toBe(1);
    expect(asJsonShape(a.body)).toEqual(b.body);
  });

  it.each([
    ['DescribeStreamSummary', { StreamName: 'missing-stream' }],
    ['PutRecord', { StreamName }],
    ['GetShardIterator', { StreamName, ShardId, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: 'soon' }],
    ['NoSuchOperation', {}],
  ])('answers errors as CBOR maps with the JSON protocol’s type, message and status (%s)', async (operation, input) => {
    const [a, b] = [await cbor(operation, input), await json(operation, input)];
    expect(a.contentType).toBe(CBOR_11);
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect({ status: a.status, body: a.body }).toEqual({ status: b.status, body: b.body });
  });

  it('takes a PutRecord body laid out as the Java SDK (Jackson) writes it: an indefinite-length map', async () => {
    const text = (value: string) => Buffer.concat([Buffer.from([0x78, Buffer.byteLength(value)]), Buffer.from(value)]);
    const bytes = (value: Buffer) => Buffer.concat([Buffer.from([0x58, value.length]), value]);
    const body = Buffer.concat([
      Buffer.from([0xbf]),
      text('StreamName'),
      text(StreamName),
      text('Data'),
      bytes(Buffer.from('hello, world!')),
      text('PartitionKey'),
      text('partitionkey'),
      Buffer.from([0xff]),
    ]);
    const answer = await rawKinesisRequest(platform.endpoint, transport, { target: 'Kinesis_20131202.PutRecord', contentType: CBOR_11, body });
    expect(answer.status).toBe(200);
    expect(cborCodec.deserialize(answer.bytes)).toMatchObject({ ShardId, SequenceNumber: expect.stringMatching(/^\d+$/) });
  });

  it('answers SerializationException for a body that is not CBOR', async () => {
    const answer = await rawKinesisRequest(platform.endpoint, transport, {
      target: 'Kinesis_20131202.ListStreams',
      contentType: CBOR_11,
      body: Buffer.from([0xbf, 0x61]),
    });
    expect(answer.status).toBe(400);
    expect(cborCodec.deserialize(answer.bytes)).toMatchObject({ __type: 'SerializationException' });
  });
});
