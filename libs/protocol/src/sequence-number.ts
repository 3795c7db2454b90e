import { invalidArgument } from './errors';

/**
 * Sequence numbers are fixed-width decimal strings (40 digits):
 *
 *   "4" | shard index (12 digits) | JetStream sequence (20 digits) | index in batch (7 digits)
 *
 * Fixed width makes string order equal numeric order, so KCL-style clients that compare
 * them as big integers see them strictly increasing within a shard; a child shard has a
 * higher index than its parents, so its numbers are above theirs; the shard index makes
 * them unique across a stream. The leading "4" keeps the AWS pattern `0|([1-9]\d{0,128})`.
 */
export const SEQUENCE_NUMBER_LENGTH = 40;
const VERSION = '4';
const MAX_BATCH_INDEX = 9_999_999;

/** A record's place in its shard: the JetStream message and the record's index inside it. */
export interface RecordPosition {
  seq: number;
  index: number;
}

/** The part shared by every record of one JetStream message; append `batchIndexDigits(i)`. */
export function sequencePrefix(shardIndex: number, seq: number): string {
  return VERSION + String(shardIndex).padStart(12, '0') + String(seq).padStart(20, '0');
}

export function batchIndexDigits(index: number): string {
  return String(index).padStart(7, '0');
}

export function encodeSequenceNumber(shardIndex: number, position: RecordPosition): string {
  return sequencePrefix(shardIndex, position.seq) + batchIndexDigits(position.index);
}

/** Lowest number of a shard, below all of its records (its StartingSequenceNumber). */
export function shardStartingSequenceNumber(shardIndex: number): string {
  return encodeSequenceNumber(shardIndex, { seq: 0, index: 0 });
}

/** Highest number a shard closed after JetStream sequence `lastSeq` can hold. */
export function shardEndingSequenceNumber(shardIndex: number, lastSeq: number): string {
  return encodeSequenceNumber(shardIndex, { seq: lastSeq, index: MAX_BATCH_INDEX });
}

/** Parses a sequence number; throws InvalidArgumentException when it is not one of ours. */
export function decodeSequenceNumber(value: string): { shardIndex: number; position: RecordPosition } {
  if (value.length !== SEQUENCE_NUMBER_LENGTH || value[0] !== VERSION || !/^\d+$/.test(value)) {
    throw invalidArgument(`StartingSequenceNumber ${value} used in GetShardIterator on shard is invalid.`);
  }
  const seq = Number(value.slice(13, 33));
  if (!Number.isSafeInteger(seq)) {
    throw invalidArgument(`StartingSequenceNumber ${value} used in GetShardIterator on shard is invalid.`);
  }
  return { shardIndex: Number(value.slice(1, 13)), position: { seq, index: Number(value.slice(33)) } };
}

/** Orders two positions in a shard. */
export function comparePositions(a: RecordPosition, b: RecordPosition): number {
  return a.seq - b.seq || a.index - b.index;
}
