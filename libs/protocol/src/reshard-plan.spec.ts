import { evenHashKeyRanges, MAX_HASH_KEY } from './hash-key';
import {
  areAdjacent,
  isValidSplitKey,
  mergePlan,
  middleHashKey,
  splitPlan,
  uniformScalingPlan,
  type PlannedShard,
  type RangedShard,
} from './reshard-plan';
import { shardIdOf } from './shard-id';

function even(count: number, firstIndex = 0): RangedShard[] {
  return evenHashKeyRanges(count).map((r, i) => ({
    index: firstIndex + i,
    shardId: shardIdOf(firstIndex + i),
    hashKeyStart: r.start,
    hashKeyEnd: r.end,
  }));
}

/** The open shards after applying a plan. */
function openAfter(open: RangedShard[], plan: { close: string[]; create: PlannedShard[] }): RangedShard[] {
  return [...open.filter((s) => !plan.close.includes(s.shardId)), ...plan.create.filter((s) => s.open)].sort((a, b) =>
    a.hashKeyStart < b.hashKeyStart ? -1 : 1,
  );
}

describe('split and merge', () => {
  const [shard] = even(1);

  it('splits at the new starting hash key, both children naming the parent, indexes above it', () => {
    const plan = splitPlan(shard!, 100n, 1);
    expect(plan.close).toEqual(['shardId-000000000000']);
    expect(plan.create).toEqual([
      { index: 1, shardId: shardIdOf(1), hashKeyStart: 0n, hashKeyEnd: 99n, parentShardId: shardIdOf(0), open: true },
      { index: 2, shardId: shardIdOf(2), hashKeyStart: 100n, hashKeyEnd: MAX_HASH_KEY, parentShardId: shardIdOf(0), open: true },
    ]);
  });

  it('accepts split keys strictly between start + 1 and end, as AWS does', () => {
    const small = { index: 0, shardId: 's', hashKeyStart: 10n, hashKeyEnd: 20n };
    expect([10n, 11n, 12n, 19n, 20n].map((k) => isValidSplitKey(small, k))).toEqual([false, false, true, true, false]);
    expect(middleHashKey({ ...small, hashKeyStart: 0n, hashKeyEnd: MAX_HASH_KEY })).toBe(1n << 127n);
  });

  it('merges adjacent shards in either order into their union', () => {
    const [a, b, c] = even(3);
    expect(areAdjacent(a!, b!)).toBe(true);
    expect(areAdjacent(b!, a!)).toBe(true);
    expect(areAdjacent(a!, c!)).toBe(false);
    const plan = mergePlan(b!, a!, 3);
    expect(plan.close).toEqual([b!.shardId, a!.shardId]);
    expect(plan.create).toEqual([
      {
        index: 3,
        shardId: shardIdOf(3),
        hashKeyStart: a!.hashKeyStart,
        hashKeyEnd: b!.hashKeyEnd,
        parentShardId: b!.shardId,
        adjacentParentShardId: a!.shardId,
        open: true,
      },
    ]);
  });
});

describe('uniformScalingPlan', () => {
  it.each([
    [1, 2],
    [2, 4],
    [4, 2],
    [3, 4],
    [4, 3],
    [10, 6],
    [6, 10],
    [5, 3],
    [2, 3],
    [7, 14],
  ])('%i -> %i shards leaves exactly the even ranges open, with at most two parents each', (from, to) => {
    const open = even(from);
    const plan = uniformScalingPlan(open, to, from);
    const after = openAfter(open, plan);
    expect(after.map((s) => [s.hashKeyStart, s.hashKeyEnd])).toEqual(evenHashKeyRanges(to).map((r) => [r.start, r.end]));
    const indexes = new Map([...open, ...plan.create].map((s) => [s.shardId, s.index]));
    for (const child of plan.create) {
      expect(indexes.get(child.parentShardId)!).toBeLessThan(child.index);
      if (child.adjacentParentShardId) expect(indexes.get(child.adjacentParentShardId)!).toBeLessThan(child.index);
    }
    expect(new Set(plan.close).size).toBe(plan.close.length);
    // every closed or created-closed shard has children; every open one has none
    const parents = new Set(plan.create.flatMap((s) => [s.parentShardId, s.adjacentParentShardId]));
    for (const id of plan.close) expect(parents.has(id)).toBe(true);
    for (const s of plan.create) expect(parents.has(s.shardId)).toBe(!s.open);
  });

  it('keeps shards whose range already is a target range', () => {
    const open = even(2);
    expect(uniformScalingPlan(open, 2, 2)).toEqual({ close: [], create: [] });
    const plan = uniformScalingPlan(even(4), 2, 4);
    expect(plan.close).toEqual([shardIdOf(0), shardIdOf(1), shardIdOf(2), shardIdOf(3)]);
    expect(plan.create.map((s) => [s.parentShardId, s.adjacentParentShardId])).toEqual([
      [shardIdOf(0), shardIdOf(1)],
      [shardIdOf(2), shardIdOf(3)],
    ]);
  });
});
