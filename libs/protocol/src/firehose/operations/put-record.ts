/**
 * PutRecord and PutRecordBatch
 *   PutRecord request:       { DeliveryStreamName, Record: { Data } }       (Data 0-1,000 KiB)
 *   PutRecord response:      { RecordId, Encrypted }
 *   PutRecordBatch request:  { DeliveryStreamName, Records: [{ Data }] }    (1-500 records, 4 MiB in all)
 *   PutRecordBatch response: { FailedPutCount, Encrypted, RequestResponses: [{ RecordId } | { ErrorCode, ErrorMessage }] }
 * Refused on a KinesisStreamAsSource delivery stream and on one that is not ACTIVE (by the backend).
 */
import { invalidArgument } from '../../errors';
import {
  MAX_BATCH_BYTES,
  putRecordBatchTable,
  putRecordTable,
  type PutRecordBatchInput,
  type PutRecordInput,
} from '../validation/put-record-batch';
import { defineFirehoseOperation } from './operation';

export const putRecord = defineFirehoseOperation({
  name: 'PutRecord',
  validation: putRecordTable,
  async execute(backend, input: PutRecordInput): Promise<{ RecordId: string; Encrypted: boolean }> {
    const { results, encrypted } = await backend.putRecords(input.DeliveryStreamName, [input.Record.Data]);
    const result = results[0];
    if ('errorCode' in result) throw invalidArgument(result.errorMessage);
    return { RecordId: result.recordId, Encrypted: encrypted };
  },
});

export type WirePutResponse = { RecordId: string } | { ErrorCode: string; ErrorMessage: string };

export interface PutRecordBatchOutput {
  FailedPutCount: number;
  Encrypted: boolean;
  RequestResponses: WirePutResponse[];
}

export const putRecordBatch = defineFirehoseOperation({
  name: 'PutRecordBatch',
  validation: putRecordBatchTable,
  async execute(backend, input: PutRecordBatchInput): Promise<PutRecordBatchOutput> {
    const records = input.Records;
    const data = new Array<Buffer>(records.length);
    let total = 0;
    for (let i = 0; i < records.length; i++) {
      const record = records[i];
      if (!record) throw invalidArgument(`Records[${i}] must not be null.`);
      data[i] = record.Data;
      total += record.Data.length;
    }
    if (total > MAX_BATCH_BYTES) {
      throw invalidArgument(`Records size exceeds the limit of ${MAX_BATCH_BYTES} bytes: ${total} bytes.`);
    }
    const { results, encrypted } = await backend.putRecords(input.DeliveryStreamName, data);
    let failed = 0;
    const responses = results.map((result): WirePutResponse => {
      if ('errorCode' in result) {
        failed++;
        return { ErrorCode: result.errorCode, ErrorMessage: result.errorMessage };
      }
      return { RecordId: result.recordId };
    });
    return { FailedPutCount: failed, Encrypted: encrypted, RequestResponses: responses };
  },
});
