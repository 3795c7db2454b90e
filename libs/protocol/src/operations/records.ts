/** Mapping of records written by PutRecord and PutRecords, shared by both operations. */
import type { KinesisBackend, PutRecordEntry, PutRecordResult, StreamRef } from '../domain';
import { invalidArgument, ShardlineError } from '../errors';
import { DEFAULT_MAX_RECORD_BYTES, putRecordTable } from '../validation/put-record';
import { Violations } from '../validation/violations';

/** Largest hash key: hash keys are unsigned 128-bit integers. */
export const MAX_HASH_KEY = (1n << 128n) - 1n;
/** Largest PutRecords request: data and partition keys of all its records. */
export const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
/** Largest PutRecords request to a stream whose MaxRecordSizeInKiB was raised above 1 MiB. */
export const MAX_LARGE_PUT_RECORDS_BYTES = 10 * 1024 * 1024;

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

export function requestTooLarge(bytes: number, limit = MAX_PUT_RECORDS_BYTES): ShardlineError {
  return invalidArgument(
    `Records size of ${bytes} bytes (data and partition keys) exceeds the PutRecords request limit of ${limit} bytes.`,
  );
}

const DATA_FIELD = putRecordTable.fields.find((field) => field.wire === 'Data')!;

/**
 * The stream's own size limits. Only a put with a record above 1 MiB or a PutRecords above
 * 5 MiB (what every stream takes) looks the stream up, so ordinary puts pay nothing. A
 * record above the stream's MaxRecordSizeInKiB gets the ValidationException the table
 * gives at the default limit; a stream with a raised limit takes requests up to 10 MiB.
 * `sizes`: the largest record's data and the request's data and partition keys, in bytes.
 * `inList`: the records came in PutRecords' Records list (member paths say so).
 */
export async function checkRecordSizes(
  backend: KinesisBackend,
  ref: StreamRef,
  records: readonly { Data: Buffer }[],
  sizes: { largest: number; total: number },
  inList: boolean,
): Promise<void> {
  if (sizes.largest <= DEFAULT_MAX_RECORD_BYTES && sizes.total <= MAX_PUT_RECORDS_BYTES) return;
  const stream = await backend.describeStream(ref);
  const maxRecord = (stream.maxRecordSizeKiB ?? 1024) * 1024;
  const violations = new Violations();
  if (inList) violations.enter('records');
  records.forEach((record, i) => {
    if (record.Data.length <= maxRecord) return;
    if (inList) violations.enter(i);
    violations.enter('data');
    violations.add(DATA_FIELD, record.Data, `Member must have length less than or equal to ${maxRecord}`);
    violations.leave();
    if (inList) violations.leave();
  });
  const error = violations.toError();
  if (error) throw error;
  const maxTotal = maxRecord > DEFAULT_MAX_RECORD_BYTES ? MAX_LARGE_PUT_RECORDS_BYTES : MAX_PUT_RECORDS_BYTES;
  if (inList && sizes.total > maxTotal) throw requestTooLarge(sizes.total, maxTotal);
}

/** A failed single put becomes the error itself (PutRecord has no per-record result). */
export function throwIfFailed(result: PutRecordResult | undefined): { shardId: string; sequenceNumber: string } {
  if (result === undefined) throw new ShardlineError('InternalFailure', 'The backend returned no result for the record.');
  if ('errorCode' in result) throw new ShardlineError(result.errorCode, result.errorMessage);
  return result;
}
