/** Mapping of records written by PutRecord and PutRecords, shared by both operations. */
import type { PutRecordEntry, PutRecordResult } from '../domain';
import { invalidArgument, ShardlineError } from '../errors';

/** Largest hash key: hash keys are unsigned 128-bit integers. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;
/** Largest PutRecords request: data and partition keys of all its records. */
export const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;

/** Parses an ExplicitHashKey already matched against `0|([1-9]\d{0,38})`; 39 digits can exceed 2^128-1. */
export function parseExplicitHashKey(text: string): bigint {
  const key = BigInt(text);
  if (key > MAX_HASH_KEY) {
    throw invalidArgument(
      `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${text}`,
    );
  }
  return key;
}

/** A validated wire record as the domain's entry. */
export function toEntry(record: { Data: Buffer; PartitionKey: string; ExplicitHashKey?: string }): PutRecordEntry {
  const entry: PutRecordEntry = { partitionKey: record.PartitionKey, data: record.Data };
  if (record.ExplicitHashKey !== undefined) entry.explicitHashKey = parseExplicitHashKey(record.ExplicitHashKey);
  return entry;
}

export function requestTooLarge(bytes: number): ShardlineError {
  return invalidArgument(
    `Records size of ${bytes} bytes (data and partition keys) exceeds the PutRecords request limit of ` +
      `${MAX_PUT_RECORDS_BYTES} bytes.`,
  );
}

/** A failed single put becomes the error itself (PutRecord has no per-record result). */
export function throwIfFailed(result: PutRecordResult | undefined): { shardId: string; sequenceNumber: string } {
  if (result === undefined) throw new ShardlineError('InternalFailure', 'The backend returned no result for the record.');
  if ('errorCode' in result) throw new ShardlineError(result.errorCode, result.errorMessage);
  return result;
}
