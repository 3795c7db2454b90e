import { cbor } from '@smithy/core/cbor';
import { kinesisOperations, ShardlineError } from '@shardline/protocol';
import { cborCodec, codecFor, jsonCodec, toCbor } from './wire-codec';

const getRecords = kinesisOperations.get('GetRecords')!;

describe('codecFor', () => {
  it('chooses by media type, ignoring parameters and case', () => {
    expect(codecFor('application/x-amz-json-1.1')).toBe(jsonCodec);
    expect(codecFor('application/json; charset=utf-8')).toBe(jsonCodec);
    expect(codecFor('Application/X-Amz-Cbor-1.1')).toBe(cborCodec);
    expect(codecFor('text/plain')).toBeUndefined();
    expect(codecFor(undefined)).toBeUndefined();
  });
});

describe('cborCodec', () => {
  it('writes blobs as bytes and timestamps as tag 1 around epoch milliseconds', () => {
    const output = {
      Records: [{ SequenceNumber: '1', ApproximateArrivalTimestamp: 1767323045.678, Data: 'aGk=', PartitionKey: 'p' }],
      MillisBehindLatest: 0,
      NextShardIterator: undefined,
    };
    const bytes = Buffer.from(cborCodec.output(getRecords, output) as Uint8Array);
    const decoded = cbor.deserialize(bytes) as { Records: Array<Record<string, unknown>> } & Record<string, unknown>;
    expect(Buffer.from(decoded.Records[0].Data as Uint8Array).toString()).toBe('hi');
    expect(decoded.Records[0].ApproximateArrivalTimestamp).toMatchObject({ tag: 1, value: 1767323045678 });
    expect(decoded).not.toHaveProperty('NextShardIterator');
    // tag 1 (0xc1) followed by an 8-byte unsigned integer: what the Java SDKs read back as epoch millis.
    expect(bytes.includes(Buffer.from([0xc1, 0x1b]))).toBe(true);
  });

  it('leaves other members alone', () => {
    expect(toCbor({ StreamName: 's', Count: 1.5, List: ['a'], Nested: { StreamCreationTimestamp: 2 } })).toEqual({
      StreamName: 's',
      Count: 1.5,
      List: ['a'],
      Nested: { StreamCreationTimestamp: expect.objectContaining({ tag: 1, value: 2000 }) },
    });
  });

  it('parses a map, and answers SerializationException for anything else', () => {
    expect(cborCodec.parse(Buffer.from(cbor.serialize({ StreamName: 's' })))).toEqual({ StreamName: 's' });
    expect(cborCodec.parse(undefined)).toEqual({});
    for (const bad of [Buffer.from([0xff, 0x00]), Buffer.from(cbor.serialize([1])), Buffer.from(cbor.serialize('x'))]) {
      expect(() => cborCodec.parse(bad)).toThrow(ShardlineError);
    }
  });

  it('writes errors as a CBOR map of __type and message', () => {
    expect(cbor.deserialize(cborCodec.error('ValidationException', 'bad') as Uint8Array)).toEqual({
      __type: 'ValidationException',
      message: 'bad',
    });
  });
});
