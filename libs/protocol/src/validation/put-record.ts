/**
 * PutRecord request members. Data is base64 on the wire (bytes in CBOR), at most 10 MiB
 * once decoded here; the stream's own limit (MaxRecordSizeInKiB, 1 MiB unless raised) is
 * applied by the operation, which alone knows the stream.
 */
import {
  HASH_KEY_PATTERN,
  requireStreamRef,
  SEQUENCE_NUMBER_PATTERN,
  streamRefFields,
  type StreamRefInput,
} from './common';
import { defineTable, type FieldSpec } from './table';

/** Largest record payload of a stream by default (MaxRecordSizeInKiB 1024), decoded bytes. */
export const DEFAULT_MAX_RECORD_BYTES = 1048576;
/** Largest record payload of any stream (MaxRecordSizeInKiB 10240). */
export const MAX_RECORD_BYTES = 10 * 1048576;

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
