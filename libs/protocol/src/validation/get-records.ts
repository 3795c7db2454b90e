/** GetRecords request members: the iterator names the shard; StreamARN is optional. */
import { intRange, streamARN } from './common';
import { defineTable } from './table';

export const MAX_GET_RECORDS_LIMIT = 10000;

/** Validated GetRecords input (wire shape). */
export interface GetRecordsInput {
  ShardIterator: string;
  Limit?: number;
  StreamARN?: string;
}

export const getRecordsTable = defineTable<GetRecordsInput>({
  ShardIterator: { type: 'String', notNull: true, minLength: 1, maxLength: 512 },
  Limit: intRange(1, MAX_GET_RECORDS_LIMIT),
  StreamARN: streamARN,
});
