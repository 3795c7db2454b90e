/** SplitShard request members (AWS API reference). */
import { HASH_KEY_PATTERN, requiredShardId, requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Validated SplitShard input (wire shape). */
export interface SplitShardInput extends StreamRefInput {
  ShardToSplit: string;
  NewStartingHashKey: string;
}

export const splitShardTable = defineTable<SplitShardInput>(
  {
    ...streamRefFields,
    ShardToSplit: requiredShardId,
    NewStartingHashKey: { type: 'String', notNull: true, pattern: HASH_KEY_PATTERN },
  },
  requireStreamRef,
);
