/**
 * PutRecords
 *   request:  { StreamName? | StreamARN?, Records: [{ Data, PartitionKey, ExplicitHashKey? }] (1-500) }
 *   response: { FailedRecordCount, Records: [{ SequenceNumber, ShardId } | { ErrorCode, ErrorMessage }],
 *               EncryptionType }
 * The whole request (data and partition keys) may not exceed 5 MiB. Results keep the order
 * of the request's records; failures are per record, as in Kinesis.
 */
import type { PutRecordEntry } from '../domain';
import { putRecordsTable, type PutRecordsInput } from '../validation/put-records';
import { defineOperation } from './operation';
import { MAX_PUT_RECORDS_BYTES, requestTooLarge, toEntry } from './records';
import { streamRef } from './wire';

export type WirePutRecordsResult = { SequenceNumber: string; ShardId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutRecordsOutput {
  FailedRecordCount: number;
  Records: WirePutRecordsResult[];
  EncryptionType: 'NONE' | 'KMS';
}

/** Maps the records to domain entries and sizes the request in the same pass. */
function toEntries(input: PutRecordsInput): PutRecordEntry[] {
  const records = input.Records;
  const entries = new Array<PutRecordEntry>(records.length);
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    bytes += record.Data.length + Buffer.byteLength(record.PartitionKey, 'utf8');
    entries[i] = toEntry(record);
  }
  if (bytes > MAX_PUT_RECORDS_BYTES) throw requestTooLarge(bytes);
  return entries;
}

export const putRecords = defineOperation({
  name: 'PutRecords',
  validation: putRecordsTable,
  async execute(backend, input: PutRecordsInput): Promise<PutRecordsOutput> {
    const outcome = await backend.putRecords(streamRef(input), toEntries(input));
    let failed = 0;
    const records = outcome.records.map((result): WirePutRecordsResult => {
      if ('errorCode' in result) {
        failed++;
        return { ErrorCode: result.errorCode, ErrorMessage: result.errorMessage };
      }
      return { SequenceNumber: result.sequenceNumber, ShardId: result.shardId };
    });
    return { FailedRecordCount: failed, Records: records, EncryptionType: outcome.encryptionType };
  },
});
