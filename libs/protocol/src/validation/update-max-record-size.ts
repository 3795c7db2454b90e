/**
 * UpdateMaxRecordSize request members. StreamARN is optional in the model only because of
 * the unimplemented StreamId; without it there is no stream to update.
 */
import { intRange, streamARN } from './common';
import { defineTable } from './table';

export const MIN_MAX_RECORD_SIZE_KIB = 1024;
export const MAX_MAX_RECORD_SIZE_KIB = 10240;

export interface UpdateMaxRecordSizeInput {
  StreamARN: string;
  MaxRecordSizeInKiB: number;
}

export const updateMaxRecordSizeTable = defineTable<UpdateMaxRecordSizeInput>({
  StreamARN: { ...streamARN, notNull: true },
  MaxRecordSizeInKiB: intRange(MIN_MAX_RECORD_SIZE_KIB, MAX_MAX_RECORD_SIZE_KIB, true),
});
