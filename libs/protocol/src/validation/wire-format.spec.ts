import { cbor } from '@smithy/core/cbor';
import { expectShardlineError } from '../../../../test/support/errors';
import { validate } from './engine';
import { getShardIteratorTable } from './get-shard-iterator';
import { putRecordsTable } from './put-records';

const iterator = { StreamName: 's', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP' };
const AT = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

describe('validate, CBOR bodies', () => {
  it('reads timestamps as epoch milliseconds, tagged 1 (as the Java SDK writes them) or plain', () => {
    // Decoded by the SDK's codec (tag 1 becomes { tag, value }), as the gateway decodes it.
    const body = cbor.deserialize(encodeTagged(AT)) as Record<string, unknown>;
    expect(validate(getShardIteratorTable, body, 'cbor').Timestamp).toEqual(new Date(AT));
    expect(validate(getShardIteratorTable, { ...iterator, Timestamp: AT }, 'cbor').Timestamp).toEqual(new Date(AT));
    expect(validate(getShardIteratorTable, { ...iterator, Timestamp: AT / 1000 }, 'json').Timestamp).toEqual(new Date(AT));
  });

  it('refuses a timestamp of another type with the JSON text', () => {
    const error = expectShardlineError(() => validate(getShardIteratorTable, { ...iterator, Timestamp: 'x' }, 'cbor'), 'SerializationException');
    expect(error.message).toBe("'x' can not be converted to a Timestamp");
  });

  it('takes byte strings as blobs, without copying them', () => {
    const body = cbor.deserialize(cbor.serialize({ StreamName: 's', Records: [{ Data: Buffer.from('hello'), PartitionKey: 'p' }] }));
    const input = validate(putRecordsTable, body, 'cbor');
    expect(Buffer.isBuffer(input.Records[0].Data)).toBe(true);
    expect(input.Records[0].Data.toString()).toBe('hello');
  });

  it('still checks blob lengths on bytes', () => {
    const body = { StreamName: 's', Records: [{ Data: new Uint8Array(10 * 1048576 + 1), PartitionKey: 'p' }] };
    const error = expectShardlineError(() => validate(putRecordsTable, body, 'cbor'), 'ValidationException');
    expect(error.message).toContain("at 'records.1.member.data' failed to satisfy constraint");
  });
});

/** A CBOR map { StreamName, ShardId, ShardIteratorType, Timestamp: tag 1 (ms) } as Jackson writes it (indefinite length). */
function encodeTagged(ms: number): Buffer {
  const text = (s: string) => Buffer.concat([Buffer.from([0x60 | s.length]), Buffer.from(s)]);
  const long = (s: string) => Buffer.concat([Buffer.from([0x78, s.length]), Buffer.from(s)]);
  const u64 = Buffer.alloc(9);
  u64[0] = 0x1b;
  u64.writeBigUInt64BE(BigInt(ms), 1);
  return Buffer.concat([
    Buffer.from([0xbf]),
    long('StreamName'),
    text('s'),
    text('ShardId'),
    long('shardId-000000000000'),
    long('ShardIteratorType'),
    long('AT_TIMESTAMP'),
    long('Timestamp'),
    Buffer.from([0xc1]),
    u64,
    Buffer.from([0xff]),
  ]);
}
