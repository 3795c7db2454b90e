/**
 * ListShards' ShardFilter semantics (AWS API reference) over open and closed shards:
 * - AT_LATEST: the open shards;
 * - AT_TRIM_HORIZON / AT_TIMESTAMP t: shards open at that instant (started at or before it,
 *   and open or closed at or after it);
 * - FROM_TRIM_HORIZON (the default) / FROM_TIMESTAMP t: open shards, and closed shards that
 *   closed at or after the instant;
 * - AFTER_SHARD_ID: shards after the given one.
 * Instants earlier than the trim horizon (now - retention, never before the stream's
 * creation) are raised to it, as AWS documents for FROM_TIMESTAMP.
 */
import type { Shard, Stream } from '../domain';
import type { ShardFilterType } from '../validation/list-shards';
import { shardsAfter } from './wire';

/** A ShardFilter in domain terms. */
export interface ShardFilterSpec {
  type: ShardFilterType;
  shardId?: string;
  timestamp?: Date;
}

/**
 * The domain `Shard` carries no open/close times yet; when a backend adds `createdAt` /
 * `closedAt` they are used. Unknown times err towards listing the shard (a reader that sees
 * an extra parent finishes it quickly; a reader that misses one loses data).
 */
type TimedShard = Shard & { createdAt?: Date; closedAt?: Date };

function trimHorizon(stream: Stream, now: Date): number {
  return Math.max(now.getTime() - stream.retentionHours * 3_600_000, stream.createdAt.getTime());
}

function startedBy(shard: TimedShard, at: number): boolean {
  return shard.createdAt === undefined || shard.createdAt.getTime() <= at;
}

function stillOpenAt(shard: TimedShard, at: number): boolean {
  return shard.status === 'OPEN' || shard.closedAt === undefined || shard.closedAt.getTime() >= at;
}

/** The stream's shards a ShardFilter selects, in index order. */
export function filterShards(stream: Stream, filter: ShardFilterSpec | undefined, now: Date): Shard[] {
  const shards: readonly TimedShard[] = stream.shards;
  const horizon = trimHorizon(stream, now);
  const from = (t: Date | undefined) => Math.max(t?.getTime() ?? horizon, horizon);
  const type = filter?.type ?? 'FROM_TRIM_HORIZON';
  switch (type) {
    case 'AT_LATEST':
      return shards.filter((shard) => shard.status === 'OPEN');
    case 'AFTER_SHARD_ID':
      return shardsAfter(shards, filter?.shardId);
    case 'AT_TRIM_HORIZON':
    case 'AT_TIMESTAMP': {
      const at = from(type === 'AT_TIMESTAMP' ? filter?.timestamp : undefined);
      return shards.filter((shard) => startedBy(shard, at) && stillOpenAt(shard, at));
    }
    case 'FROM_TRIM_HORIZON':
    case 'FROM_TIMESTAMP': {
      const at = from(type === 'FROM_TIMESTAMP' ? filter?.timestamp : undefined);
      return shards.filter((shard) => stillOpenAt(shard, at));
    }
  }
}
