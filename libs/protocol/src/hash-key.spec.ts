import { createHash } from 'node:crypto';
import golden from './fixtures/hash-keys.json';
import {
  MAX_HASH_KEY,
  evenHashKeyRanges,
  findRangeIndex,
  hashKeyHex,
  partitionKeyHash,
  partitionKeyHashHex,
} from './hash-key';

/** MD5 as Kinesis defines it, computed here without the code under test. */
const md5 = (key: string) => BigInt('0x' + createHash('md5').update(key, 'utf8').digest('hex'));

describe('partitionKeyHash', () => {
  it.each(Object.entries(golden.partitionKeys))('hashes %j to its golden 128-bit value', (key, decimal) => {
    expect(partitionKeyHash(key).toString()).toBe(decimal);
  });

  it.each(['a', 'partition-1', 'ünïcödé', '', 'x'.repeat(256), '🦀 emoji', 'Ω'])('equals MD5 of the UTF-8 bytes of %j', (key) => {
    expect(partitionKeyHash(key)).toBe(md5(key));
  });

  it('gives 32 lowercase hex digits, leading zeros kept, matching hashKeyHex', () => {
    for (const key of ['a', 'partition-1', 'ünïcödé', '']) {
      const hex = partitionKeyHashHex(key);
      expect(hex).toMatch(/^[0-9a-f]{32}$/);
      expect(hex).toBe(hashKeyHex(md5(key)));
    }
  });
});

describe('hashKeyHex', () => {
  it('pads to 32 digits so string order is numeric order', () => {
    expect(hashKeyHex(0n)).toBe('0'.repeat(32));
    expect(hashKeyHex(MAX_HASH_KEY)).toBe('f'.repeat(32));
    const keys = [0n, 1n, 15n, 16n, 255n, 1n << 64n, (1n << 127n) - 1n, 1n << 127n, MAX_HASH_KEY];
    const byString = [...keys].sort((a, b) => (hashKeyHex(a) < hashKeyHex(b) ? -1 : 1));
    expect(byString).toEqual(keys);
  });
});

describe('evenHashKeyRanges', () => {
  const asDecimal = (count: number) => evenHashKeyRanges(count).map((r) => [r.start.toString(), r.end.toString()]);

  it.each(Object.entries(golden.ranges))('gives %s shards the ranges AWS CreateStream gives', (count, expected) => {
    expect(asDecimal(Number(count))).toEqual(expected);
  });

  it.each([1, 2, 3, 4, 7, 10, 500])('covers 0..2^128-1 contiguously with %i ranges', (count) => {
    const ranges = evenHashKeyRanges(count);
    expect(ranges).toHaveLength(count);
    expect(ranges[0].start).toBe(0n);
    expect(ranges[count - 1].end).toBe(MAX_HASH_KEY);
    for (let i = 1; i < count; i++) expect(ranges[i].start).toBe(ranges[i - 1].end + 1n);
    for (const r of ranges) expect(r.end).toBeGreaterThanOrEqual(r.start);
  });
});

describe('findRangeIndex', () => {
  it.each([1, 2, 3, 4, 7])('finds every shard of %i at its start, its end, and the next one at end+1', (count) => {
    const ranges = evenHashKeyRanges(count);
    const starts = ranges.map((r) => hashKeyHex(r.start));
    ranges.forEach((range, i) => {
      expect(findRangeIndex(starts, hashKeyHex(range.start))).toBe(i);
      expect(findRangeIndex(starts, hashKeyHex(range.end))).toBe(i);
      expect(findRangeIndex(starts, hashKeyHex((range.start + range.end) / 2n))).toBe(i);
      if (range.end < MAX_HASH_KEY) expect(findRangeIndex(starts, hashKeyHex(range.end + 1n))).toBe(i + 1);
    });
  });

  it('routes the golden partition keys to the shard whose range holds their hash', () => {
    const ranges = evenHashKeyRanges(4);
    const starts = ranges.map((r) => hashKeyHex(r.start));
    for (const [key, decimal] of Object.entries(golden.partitionKeys)) {
      const expected = ranges.findIndex((r) => r.start <= BigInt(decimal) && BigInt(decimal) <= r.end);
      expect(findRangeIndex(starts, partitionKeyHashHex(key))).toBe(expected);
    }
  });
});
