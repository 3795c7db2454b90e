import { expectShardlineError } from '../../../test/support/errors';
import golden from './fixtures/sequence-numbers.json';
import {
  SEQUENCE_NUMBER_LENGTH,
  batchIndexDigits,
  comparePositions,
  decodeSequenceNumber,
  encodeSequenceNumber,
  sequencePrefix,
  shardEndingSequenceNumber,
  shardStartingSequenceNumber,
} from './sequence-number';

describe('sequence numbers', () => {
  it.each(golden.cases)('encodes shard $shardIndex, seq $seq, index $index to its golden text', (c) => {
    expect(encodeSequenceNumber(c.shardIndex, { seq: c.seq, index: c.index })).toBe(c.sequenceNumber);
    expect(sequencePrefix(c.shardIndex, c.seq) + batchIndexDigits(c.index)).toBe(c.sequenceNumber);
  });

  it.each(golden.cases)('decodes $sequenceNumber back to its shard and position', (c) => {
    expect(decodeSequenceNumber(c.sequenceNumber)).toEqual({
      shardIndex: c.shardIndex,
      position: { seq: c.seq, index: c.index },
    });
  });

  it('is always 40 digits starting with 4, which matches the AWS pattern 0|([1-9]\\d{0,128})', () => {
    for (const c of golden.cases) {
      const text = encodeSequenceNumber(c.shardIndex, { seq: c.seq, index: c.index });
      expect(text).toHaveLength(SEQUENCE_NUMBER_LENGTH);
      expect(text).toMatch(/^4\d{39}$/);
      expect(text).toMatch(/^(0|([1-9]\d{0,128}))$/);
    }
  });

  it('orders as strings exactly as they order as integers, across shards, sequences and batch indexes', () => {
    const numbers: string[] = [];
    for (const shardIndex of [0, 1, 9, 10, 100, 123456])
      for (const seq of [0, 1, 2, 9, 10, 99, 100, 2 ** 32, Number.MAX_SAFE_INTEGER])
        for (const index of [0, 1, 9, 10, 999, 9_999_999]) numbers.push(encodeSequenceNumber(shardIndex, { seq, index }));
    const byString = [...numbers].sort();
    const byInteger = [...numbers].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    expect(byString).toEqual(byInteger);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('puts every number of a child shard above every number of its parent', () => {
    const parentHighest = shardEndingSequenceNumber(4, Number.MAX_SAFE_INTEGER);
    const childLowest = shardStartingSequenceNumber(5);
    expect(BigInt(childLowest)).toBeGreaterThan(BigInt(parentHighest));
  });

  it('gives a shard a starting number below its first record and an ending number above its last', () => {
    const first = encodeSequenceNumber(2, { seq: 1, index: 0 });
    const last = encodeSequenceNumber(2, { seq: 50, index: 499 });
    expect(BigInt(shardStartingSequenceNumber(2))).toBeLessThan(BigInt(first));
    expect(BigInt(shardEndingSequenceNumber(2, 50))).toBeGreaterThan(BigInt(last));
    expect(BigInt(shardEndingSequenceNumber(2, 50))).toBeLessThan(BigInt(encodeSequenceNumber(2, { seq: 51, index: 0 })));
  });

  it.each([
    ['empty', ''],
    ['too short', '400000000000000000000000000000000000000'],
    ['too long', '40000000000000000000000000000000000000000'],
    ['wrong version', '5000000000000000000000000000000000000000'],
    ['a letter', '400000000000000000000000000000000000000a'],
    ['a sign', '4-00000000000000000000000000000000000000'],
    ['a decimal point', '4000000000000000000000000000000000000.00'],
    ['AWS-style number', '49590338271490256608559692538361571095921575989136588898'],
  ])('rejects a malformed number (%s) with InvalidArgumentException', (_what, text) => {
    expect(expectShardlineError(() => decodeSequenceNumber(text), 'InvalidArgumentException').statusCode).toBe(400);
  });

  // BUG (reported): a 20-digit sequence field above 2^53 decodes to an imprecise Number
  // instead of being rejected; see the report. Unskip once decodeSequenceNumber checks it.
  it('rejects a JetStream sequence above Number.MAX_SAFE_INTEGER instead of rounding it', () => {
    const text = '4' + '0'.repeat(12) + '00009007199254740993' + '0000000';
    expectShardlineError(() => decodeSequenceNumber(text), 'InvalidArgumentException');
  });

  it('compares positions by sequence, then by index in the batch', () => {
    expect(comparePositions({ seq: 1, index: 5 }, { seq: 2, index: 0 })).toBeLessThan(0);
    expect(comparePositions({ seq: 2, index: 1 }, { seq: 2, index: 0 })).toBeGreaterThan(0);
    expect(comparePositions({ seq: 3, index: 3 }, { seq: 3, index: 3 })).toBe(0);
  });
});
