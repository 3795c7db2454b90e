import type { ShardEntity } from './entities/shard.entity';
import type { StreamTagEntity } from './entities/stream-tag.entity';
import type { StreamEntity } from './entities/stream.entity';
import type { Shard, Stream, Tag } from '@shardline/protocol';
import { deriveStreamStatus } from './stream-status';

/** Maps a shard row to the domain shard (hash keys are already bigint via the column transformer). */
export function toShard(row: ShardEntity): Shard {
  const shard: Shard = {
    shardId: row.shardId,
    index: row.shardIndex,
    hashKeyStart: row.hashKeyStart,
    hashKeyEnd: row.hashKeyEnd,
    startingSequenceNumber: row.startingSequenceNumber,
    status: row.status,
    createdAt: row.createdAt,
  };
  if (row.closedAt !== null) shard.closedAt = row.closedAt;
  if (row.parentShardId !== null) shard.parentShardId = row.parentShardId;
  if (row.adjacentParentShardId !== null) shard.adjacentParentShardId = row.adjacentParentShardId;
  if (row.endingSequenceNumber !== null) shard.endingSequenceNumber = row.endingSequenceNumber;
  return shard;
}

/** Maps a stream row and its shard rows (any order) to the domain stream, status derived at `now`. */
export function toStream(row: StreamEntity, shards: ShardEntity[], now: Date, consumerCount = 0): Stream {
  const stream: Stream = {
    id: row.id,
    name: row.name,
    arn: row.arn,
    status: deriveStreamStatus(row, now),
    mode: row.mode,
    retentionHours: row.retentionHours,
    createdAt: row.createdAt,
    encryptionType: row.encryptionType,
    shards: [...shards].sort((a, b) => a.shardIndex - b.shardIndex).map(toShard),
    consumerCount,
    enhancedMonitoring: [...row.shardLevelMetrics],
    maxRecordSizeKiB: row.maxRecordSizeKiB,
  };
  if (row.keyId !== null) stream.keyId = row.keyId;
  return stream;
}

/** Maps a tag row to a domain tag; a null value is an absent one. */
export function toTag(row: StreamTagEntity): Tag {
  return row.value === null ? { key: row.key } : { key: row.key, value: row.value };
}

/** The account id inside a Kinesis ARN (`arn:aws:kinesis:<region>:<account>:stream/<name>`). */
export function accountOf(arn: string): string {
  return arn.split(':')[4] ?? '';
}
