import { hash } from 'node:crypto';

/** Largest hash key: the hash-key space is the 128-bit unsigned integers. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;

/** A hash-key range, inclusive at both ends. */
export interface HashKeyRange {
  start: bigint;
  end: bigint;
}

/**
 * Hash keys as 32 lowercase hex digits: for fixed-width strings lexicographic order is
 * numeric order, so routing compares strings and never builds a BigInt per record.
 */
export function hashKeyHex(key: bigint): string {
  return key.toString(16).padStart(32, '0');
}

/** MD5 of the UTF-8 partition key, as Kinesis computes it, in hashKeyHex form. */
export function partitionKeyHashHex(partitionKey: string): string {
  return hash('md5', partitionKey, 'hex');
}

export function partitionKeyHash(partitionKey: string): bigint {
  return BigInt('0x' + partitionKeyHashHex(partitionKey));
}

/** Splits the space into `count` ranges as AWS does at CreateStream: start_i = floor(i * 2^128 / count). */
export function evenHashKeyRanges(count: number): HashKeyRange[] {
  const space = 1n << 128n;
  const n = BigInt(count);
  const ranges: HashKeyRange[] = [];
  for (let i = 0n; i < n; i++) {
    const start = (i * space) / n;
    const end = ((i + 1n) * space) / n - 1n;
    ranges.push({ start, end });
  }
  return ranges;
}

/**
 * Finds which of the ranges holds a hash key. `starts` are the hex starts of contiguous,
 * sorted ranges covering the space (the open shards of a stream); answers the position.
 */
export function findRangeIndex(starts: readonly string[], keyHex: string): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= keyHex) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
