/** PutRecords request members: 1 to 500 entries, each validated like PutRecord's record. */
import { requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { explicitHashKey, partitionKey, recordData } from './put-record';
import { defineTable } from './table';

export const MAX_RECORDS_PER_REQUEST = 500;

/** One validated PutRecords entry (Data already decoded). */
export interface PutRecordsEntryInput {
  Data: Buffer;
  PartitionKey: string;
  ExplicitHashKey?: string;
}

/** Validated PutRecords input. */
export interface PutRecordsInput extends StreamRefInput {
  Records: PutRecordsEntryInput[];
}

export const putRecordsTable = defineTable<PutRecordsInput>(
  {
    ...streamRefFields,
    Records: {
      type: 'List',
      notNull: true,
      minLength: 1,
      maxLength: MAX_RECORDS_PER_REQUEST,
      member: {
        type: 'Structure',
        display: 'com.amazonaws.kinesis.v20131202.PutRecordsRequestEntry',
        fields: { Data: recordData, PartitionKey: partitionKey, ExplicitHashKey: explicitHashKey },
      },
    },
  },
  requireStreamRef,
);
