import { decodeRecordId, encodeRecordId } from './record-id';

describe('RecordId', () => {
  it('encodes (sequence, index) at a fixed width, so string order is position order', () => {
    expect(encodeRecordId(42, 3)).toBe('000000000000000000420000003');
    const ids = [encodeRecordId(9, 10), encodeRecordId(10, 0), encodeRecordId(10, 1), encodeRecordId(123456789, 499)];
    expect([...ids].sort()).toEqual(ids);
  });

  it('decodes what it encodes and refuses anything else', () => {
    expect(decodeRecordId(encodeRecordId(Number.MAX_SAFE_INTEGER, 499))).toEqual({ seq: Number.MAX_SAFE_INTEGER, index: 499 });
    expect(decodeRecordId('abc')).toBeUndefined();
    expect(decodeRecordId('x'.repeat(27))).toBeUndefined();
  });
});
