/** PutRecord request members. Data is base64 on the wire, at most 1 MiB once decoded. */
import {
  HASH_KEY_PATTERN,
  requireStreamRef,
  SEQUENCE_NUMBER_PATTERN,
  streamRefFields,
  type StreamRefInput,
} from './common';
import { defineTable, type FieldSpec } from './table';

/** Largest record payload Kinesis accepts (decoded bytes). */
export const MAX_RECORD_BYTES = 1048576;

export const recordData: FieldSpec = { type: 'Blob', notNull: true, maxLength: MAX_RECORD_BYTES };
export const partitionKey: FieldSpec = { type: 'String', notNull: true, minLength: 1, maxLength: 256 };
export const explicitHashKey: FieldSpec = { type: 'String', pattern: HASH_KEY_PATTERN };

/** Validated PutRecord input (Data already decoded). */
export interface PutRecordInput extends StreamRefInput {
  Data: Buffer;
  PartitionKey: string;
  ExplicitHashKey?: string;
  SequenceNumberForOrdering?: string;
}

export const putRecordTable = defineTable<PutRecordInput>(
  {
    ...streamRefFields,
    Data: recordData,
    PartitionKey: partitionKey,
    ExplicitHashKey: explicitHashKey,
    SequenceNumberForOrdering: { type: 'String', pattern: SEQUENCE_NUMBER_PATTERN },
  },
  requireStreamRef,
);
