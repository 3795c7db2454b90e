/** MergeShards request members (AWS API reference). */
import { requiredShardId, requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Validated MergeShards input (wire shape). */
export interface MergeShardsInput extends StreamRefInput {
  ShardToMerge: string;
  AdjacentShardToMerge: string;
}

export const mergeShardsTable = defineTable<MergeShardsInput>(
  { ...streamRefFields, ShardToMerge: requiredShardId, AdjacentShardToMerge: requiredShardId },
  requireStreamRef,
);
