/** DescribeStream request members. */
import { intRange, requireStreamRef, shardId, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Validated DescribeStream input (wire shape). */
export interface DescribeStreamInput extends StreamRefInput {
  Limit?: number;
  ExclusiveStartShardId?: string;
}

export const describeStreamTable = defineTable<DescribeStreamInput>(
  { ...streamRefFields, Limit: intRange(1, 10000), ExclusiveStartShardId: shardId },
  requireStreamRef,
);
