/**
 * Wire (PascalCase) shapes shared by several Kinesis responses, and the mappers from the
 * camelCase domain. Hash keys are bigints in the domain and decimal strings on the wire;
 * timestamps are epoch seconds with a millisecond fraction.
 */
import type { ChildShard, Shard, Stream, StreamMode, StreamRef, Tag } from '../domain';
import type { StreamRefInput } from '../validation/common';

export interface WireHashKeyRange {
  StartingHashKey: string;
  EndingHashKey: string;
}

/** A shard as DescribeStream and ListShards answer it. */
export interface WireShard {
  ShardId: string;
  ParentShardId?: string;
  AdjacentParentShardId?: string;
  HashKeyRange: WireHashKeyRange;
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}

export interface WireChildShard {
  ShardId: string;
  ParentShards: string[];
  HashKeyRange: WireHashKeyRange;
}

export interface WireStreamModeDetails {
  StreamMode: StreamMode;
}

export interface WireEnhancedMetrics {
  ShardLevelMetrics: string[];
}

/** Epoch seconds with a millisecond fraction, as AWS's JSON protocol sends timestamps. */
export function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

/** The domain's name-or-ARN reference from any stream operation's input. */
export function streamRef(input: StreamRefInput): StreamRef {
  const ref: StreamRef = {};
  if (input.StreamName !== undefined) ref.name = input.StreamName;
  if (input.StreamARN !== undefined) ref.arn = input.StreamARN;
  return ref;
}

/** Tags from a wire TagMap. */
export function tagsFromMap(map: Record<string, string>): Tag[] {
  return Object.keys(map).map((key) => ({ key, value: map[key] }));
}

export function hashKeyRange(start: bigint, end: bigint): WireHashKeyRange {
  return { StartingHashKey: start.toString(), EndingHashKey: end.toString() };
}

export function toWireShard(shard: Shard): WireShard {
  const wire: WireShard = {
    ShardId: shard.shardId,
    HashKeyRange: hashKeyRange(shard.hashKeyStart, shard.hashKeyEnd),
    SequenceNumberRange: { StartingSequenceNumber: shard.startingSequenceNumber },
  };
  if (shard.parentShardId !== undefined) wire.ParentShardId = shard.parentShardId;
  if (shard.adjacentParentShardId !== undefined) wire.AdjacentParentShardId = shard.adjacentParentShardId;
  if (shard.endingSequenceNumber !== undefined) {
    wire.SequenceNumberRange.EndingSequenceNumber = shard.endingSequenceNumber;
  }
  return wire;
}

export function toWireChildShard(child: ChildShard): WireChildShard {
  return {
    ShardId: child.shardId,
    ParentShards: [...child.parentShards],
    HashKeyRange: hashKeyRange(child.hashKeyStart, child.hashKeyEnd),
  };
}

export function enhancedMonitoring(stream: Stream): WireEnhancedMetrics[] {
  return [{ ShardLevelMetrics: [...stream.enhancedMonitoring] }];
}

/** Number from a shard id's numeric suffix (`shardId-000000000007` -> 7), -1 if it has none. */
export function shardIndexOf(shardId: string): number {
  const match = /(\d+)$/.exec(shardId);
  return match ? Number(match[1]) : -1;
}

/** Shards after `exclusiveStartShardId` (by shard index), in index order. */
export function shardsAfter(shards: readonly Shard[], exclusiveStartShardId: string | undefined): Shard[] {
  if (exclusiveStartShardId === undefined) return [...shards];
  const known = shards.find((shard) => shard.shardId === exclusiveStartShardId);
  const after = known ? known.index : shardIndexOf(exclusiveStartShardId);
  return shards.filter((shard) => shard.index > after);
}
