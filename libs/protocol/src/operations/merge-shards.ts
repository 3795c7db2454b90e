/**
 * MergeShards
 *   request:  { StreamName? | StreamARN?, ShardToMerge, AdjacentShardToMerge }
 *   response: {}
 * Only adjacent shards (ranges with no gap between them) merge.
 */
import { mergeShardsTable, type MergeShardsInput } from '../validation/merge-shards';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export const mergeShards = defineOperation({
  name: 'MergeShards',
  validation: mergeShardsTable,
  async execute(backend, input: MergeShardsInput): Promise<Record<string, never>> {
    await backend.mergeShards(streamRef(input), input.ShardToMerge, input.AdjacentShardToMerge);
    return {};
  },
});
