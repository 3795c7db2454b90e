import type { ChildShard, Shard, Stream } from '@shardline/protocol';

/** The shards a closed shard's readers continue with: those naming it as a parent. */
export function childShardsOf(stream: Stream, shard: Shard): ChildShard[] {
  return stream.shards
    .filter((s) => s.parentShardId === shard.shardId || s.adjacentParentShardId === shard.shardId)
    .map((s) => ({
      shardId: s.shardId,
      parentShards: [s.parentShardId, s.adjacentParentShardId].filter((p): p is string => p !== undefined),
      hashKeyStart: s.hashKeyStart,
      hashKeyEnd: s.hashKeyEnd,
    }));
}
