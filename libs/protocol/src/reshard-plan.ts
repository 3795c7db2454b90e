/**
 * Resharding as pure range math: which open shards close and which shards open, with their
 * lineage. Every new shard gets the next index, so a child's index (and so its sequence
 * numbers) is always above its parents'. SplitShard and MergeShards are single steps;
 * UpdateShardCount (UNIFORM_SCALING) is expressed as splits and merges, as AWS does, so every
 * shard keeps at most two parents (ParentShardId, AdjacentParentShardId) and readers can
 * follow the lineage; the pieces in between are born closed and empty.
 */
import { evenHashKeyRanges } from './hash-key';
import { shardIdOf } from './shard-id';

/** An open shard as planning sees it. */
export interface RangedShard {
  index: number;
  shardId: string;
  hashKeyStart: bigint;
  hashKeyEnd: bigint;
}

/** A shard a plan creates; `open: false` for the intermediate pieces of a uniform scaling. */
export interface PlannedShard extends RangedShard {
  parentShardId: string;
  adjacentParentShardId?: string;
  open: boolean;
}

export interface ReshardPlan {
  /** Ids of the existing open shards that close. */
  close: string[];
  create: PlannedShard[];
}

/** Hands out shard indexes above every existing one. */
class Indexes {
  constructor(private next: number) {}
  take(): { index: number; shardId: string } {
    const index = this.next++;
    return { index, shardId: shardIdOf(index) };
  }
}

function splitAt(shard: RangedShard, newStart: bigint, ids: Indexes): [PlannedShard, PlannedShard] {
  const parentShardId = shard.shardId;
  return [
    { ...ids.take(), hashKeyStart: shard.hashKeyStart, hashKeyEnd: newStart - 1n, parentShardId, open: true },
    { ...ids.take(), hashKeyStart: newStart, hashKeyEnd: shard.hashKeyEnd, parentShardId, open: true },
  ];
}

function mergeOf(shard: RangedShard, adjacent: RangedShard, ids: Indexes): PlannedShard {
  return {
    ...ids.take(),
    hashKeyStart: shard.hashKeyStart < adjacent.hashKeyStart ? shard.hashKeyStart : adjacent.hashKeyStart,
    hashKeyEnd: shard.hashKeyEnd > adjacent.hashKeyEnd ? shard.hashKeyEnd : adjacent.hashKeyEnd,
    parentShardId: shard.shardId,
    adjacentParentShardId: adjacent.shardId,
    open: true,
  };
}

/** AWS accepts a split key strictly inside the range, above start + 1 (its message says so). */
export function isValidSplitKey(shard: RangedShard, newStart: bigint): boolean {
  return newStart > shard.hashKeyStart + 1n && newStart < shard.hashKeyEnd;
}

/** The middle of a shard's range: where an automatic split cuts. */
export function middleHashKey(shard: RangedShard): bigint {
  return shard.hashKeyStart + (shard.hashKeyEnd - shard.hashKeyStart + 1n) / 2n;
}

/** Two shards are adjacent when their ranges touch, in either order. */
export function areAdjacent(a: RangedShard, b: RangedShard): boolean {
  return a.hashKeyEnd + 1n === b.hashKeyStart || b.hashKeyEnd + 1n === a.hashKeyStart;
}

export function splitPlan(shard: RangedShard, newStart: bigint, nextIndex: number): ReshardPlan {
  return { close: [shard.shardId], create: splitAt(shard, newStart, new Indexes(nextIndex)) };
}

export function mergePlan(shard: RangedShard, adjacent: RangedShard, nextIndex: number): ReshardPlan {
  return { close: [shard.shardId, adjacent.shardId], create: [mergeOf(shard, adjacent, new Indexes(nextIndex))] };
}

/**
 * UNIFORM_SCALING to `target` even ranges (start_i = floor(i * 2^128 / target)): split the
 * open shards at every target boundary inside them, then merge the pieces of each target
 * range left to right. A shard whose range already is a target range stays as it is.
 */
export function uniformScalingPlan(open: readonly RangedShard[], target: number, nextIndex: number): ReshardPlan {
  const ids = new Indexes(nextIndex);
  const sorted = [...open].sort((a, b) => (a.hashKeyStart < b.hashKeyStart ? -1 : 1));
  const boundaries = evenHashKeyRanges(target).map((r) => r.start);
  const create: PlannedShard[] = [];
  const close: string[] = [];
  const pieces: RangedShard[] = [];
  for (const shard of sorted) {
    let piece: RangedShard = shard;
    for (const b of boundaries) {
      if (b <= piece.hashKeyStart || b > piece.hashKeyEnd) continue;
      const [low, high] = splitAt(piece, b, ids);
      if (piece === shard) close.push(shard.shardId);
      create.push(low, high);
      pieces.push(low);
      piece = high;
    }
    pieces.push(piece);
  }
  for (const range of evenHashKeyRanges(target)) {
    const inside = pieces.filter((p) => p.hashKeyStart >= range.start && p.hashKeyEnd <= range.end);
    let merged = inside[0]!;
    for (const next of inside.slice(1)) {
      if (sorted.includes(merged)) close.push(merged.shardId);
      if (sorted.includes(next)) close.push(next.shardId);
      const child = mergeOf(merged, next, ids);
      create.push(child);
      merged = child;
    }
  }
  // Pieces that were split or merged again are closed at birth.
  const parents = new Set(create.flatMap((s) => [s.parentShardId, s.adjacentParentShardId]));
  for (const shard of create) if (parents.has(shard.shardId)) shard.open = false;
  return { close, create };
}
