/**
 * PutRecords
 *   request:  { StreamName? | StreamARN?, Records: [{ Data, PartitionKey, ExplicitHashKey? }] (1-500) }
 *   response: { FailedRecordCount, Records: [{ SequenceNumber, ShardId } | { ErrorCode, ErrorMessage }],
 *               EncryptionType }
 * The whole request (data and partition keys) may not exceed 5 MiB (10 MiB on a stream whose
 * MaxRecordSizeInKiB was raised, whose records may then be up to 10 MiB). Results keep the order
 * of the request's records; failures are per record, as in Kinesis.
 */
import type { PutRecordEntry } from '../domain';
import { putRecordsTable, type PutRecordsInput } from '../validation/put-records';
import { defineOperation } from './operation';
import { checkRecordSizes, toEntry } from './records';
import { streamRef } from './wire';

export type WirePutRecordsResult = { SequenceNumber: string; ShardId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutRecordsOutput {
  FailedRecordCount: number;
  Records: WirePutRecordsResult[];
  EncryptionType: 'NONE' | 'KMS';
}

/** Maps the records to domain entries and sizes the request in the same pass. */
function toEntries(input: PutRecordsInput): { entries: PutRecordEntry[]; sizes: { largest: number; total: number } } {
  const records = input.Records;
  const entries = new Array<PutRecordEntry>(records.length);
  let total = 0;
  let largest = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const length = record.Data.length;
    total += length + Buffer.byteLength(record.PartitionKey, 'utf8');
    if (length > largest) largest = length;
    entries[i] = toEntry(record);
  }
  return { entries, sizes: { largest, total } };
}

export const putRecords = defineOperation({
  name: 'PutRecords',
  validation: putRecordsTable,
  async execute(backend, input: PutRecordsInput): Promise<PutRecordsOutput> {
    const ref = streamRef(input);
    const { entries, sizes } = toEntries(input);
    await checkRecordSizes(backend, ref, input.Records, sizes, true);
    const outcome = await backend.putRecords(ref, entries);
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
