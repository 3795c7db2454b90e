/**
 * PutRecord and PutRecordBatch request members. A record's Data is 0-1,000 KiB; a batch
 * holds 1-500 records; the batch's data may not exceed 4 MiB (checked by the operation).
 */
import { defineTable } from '../../validation/table';
import type { FieldSpec } from '../../validation/table';
import { requiredDeliveryStreamName } from './shapes';

export const MAX_RECORD_BYTES = 1_024_000;
export const MAX_BATCH_RECORDS = 500;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

const record: FieldSpec = {
  type: 'Structure',
  notNull: true,
  display: 'com.amazonaws.firehose.v20150804.Record',
  fields: { Data: { type: 'Blob', notNull: true, minLength: 0, maxLength: MAX_RECORD_BYTES } },
};

export interface PutRecordInput {
  DeliveryStreamName: string;
  Record: { Data: Buffer };
}
export const putRecordTable = defineTable<PutRecordInput>({ DeliveryStreamName: requiredDeliveryStreamName, Record: record });

export interface PutRecordBatchInput {
  DeliveryStreamName: string;
  Records: Array<{ Data: Buffer }>;
}
export const putRecordBatchTable = defineTable<PutRecordBatchInput>({
  DeliveryStreamName: requiredDeliveryStreamName,
  Records: { type: 'List', notNull: true, minLength: 1, maxLength: MAX_BATCH_RECORDS, member: { ...record, notNull: false } },
});
