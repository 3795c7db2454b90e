/**
 * SplitShard
 *   request:  { StreamName? | StreamARN?, ShardToSplit, NewStartingHashKey }
 *   response: {}
 * The stream is UPDATING while the parent closes and its two children open.
 */
import { splitShardTable, type SplitShardInput } from '../validation/split-shard';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export const splitShard = defineOperation({
  name: 'SplitShard',
  validation: splitShardTable,
  async execute(backend, input: SplitShardInput): Promise<Record<string, never>> {
    await backend.splitShard(streamRef(input), input.ShardToSplit, BigInt(input.NewStartingHashKey));
    return {};
  },
});
