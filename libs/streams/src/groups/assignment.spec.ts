import { assignShards, eligibleShards, type LineageShard } from './assignment';

const originals = (count: number): LineageShard[] => Array.from({ length: count }, (_, index) => ({ index, parents: [], finished: false }));

/** Shards per member, each list sorted. */
function counts(assignment: Map<number, string>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [shard, member] of [...assignment].sort((a, b) => a[0] - b[0])) (out[member] ??= []).push(shard);
  return out;
}

const moved = (before: Map<number, string>, after: Map<number, string>) =>
  [...after].filter(([shard, member]) => before.has(shard) && before.get(shard) !== member).map(([shard]) => shard);

describe('assignShards', () => {
  it('spreads 8 shards over 3 members as 3/3/2', () => {
    const assignment = assignShards({ members: ['a', 'b', 'c'], shards: originals(8), current: new Map() });
    expect(assignment.size).toBe(8);
    expect(Object.values(counts(assignment)).map((s) => s.length).sort()).toEqual([2, 3, 3]);
  });

  it('gives nothing to no members, and everything to a lone member', () => {
    expect(assignShards({ members: [], shards: originals(4), current: new Map() }).size).toBe(0);
    expect(counts(assignShards({ members: ['a'], shards: originals(4), current: new Map() }))).toEqual({ a: [0, 1, 2, 3] });
  });

  it('is stable: the same input keeps every owner', () => {
    const first = assignShards({ members: ['a', 'b', 'c'], shards: originals(8), current: new Map() });
    const again = assignShards({ members: ['c', 'b', 'a'], shards: originals(8), current: first });
    expect(again).toEqual(first);
  });

  it("moves only a lost member's shards to the others, keeping the spread even", () => {
    const before = assignShards({ members: ['a', 'b', 'c'], shards: originals(8), current: new Map() });
    const lost = counts(before).c!;
    const after = assignShards({ members: ['a', 'b'], shards: originals(8), current: before });
    expect(Object.values(counts(after)).map((s) => s.length)).toEqual([4, 4]);
    expect(moved(before, after).sort()).toEqual(lost);
  });

  it('takes from the fullest members only what a joining member needs', () => {
    const before = assignShards({ members: ['a', 'b'], shards: originals(8), current: new Map() });
    const after = assignShards({ members: ['a', 'b', 'c'], shards: originals(8), current: before });
    expect(Object.values(counts(after)).map((s) => s.length).sort()).toEqual([2, 3, 3]);
    expect(moved(before, after)).toHaveLength(2);
    expect(counts(after).c).toHaveLength(2);
  });

  it('keeps sizes within one for any member and shard count', () => {
    for (let m = 1; m <= 6; m++) {
      for (let s = 0; s <= 13; s++) {
        const members = Array.from({ length: m }, (_, i) => `m${i}`);
        const sizes = Object.values(counts(assignShards({ members, shards: originals(s), current: new Map() }))).map((x) => x.length);
        expect(sizes.reduce((sum, n) => sum + n, 0)).toBe(s);
        if (sizes.length > 0) expect(Math.max(...sizes) - Math.min(...sizes, ...(sizes.length < m ? [0] : []))).toBeLessThanOrEqual(1);
      }
    }
  });

  it('ignores owners that are not live members', () => {
    const current = new Map([[0, 'gone'], [1, 'a']]);
    expect(counts(assignShards({ members: ['a', 'b'], shards: originals(2), current }))).toEqual({ a: [1], b: [0] });
  });
});

describe('eligibleShards (lineage)', () => {
  // shard 0 split into 1 and 2
  const split = (parentFinished: boolean): LineageShard[] => [
    { index: 0, parents: [], finished: parentFinished },
    { index: 1, parents: [0], finished: false },
    { index: 2, parents: [0], finished: false },
  ];
  // shards 0 and 1 merged into 2
  const merge = (finished: [boolean, boolean]): LineageShard[] => [
    { index: 0, parents: [], finished: finished[0] },
    { index: 1, parents: [], finished: finished[1] },
    { index: 2, parents: [0, 1], finished: false },
  ];

  it('hands out split children only after the parent is read to its end, and the parent no more', () => {
    expect(eligibleShards(split(false))).toEqual([0]);
    expect(eligibleShards(split(true))).toEqual([1, 2]);
    const assignment = assignShards({ members: ['a', 'b'], shards: split(false), current: new Map() });
    expect([...assignment.keys()]).toEqual([0]);
  });

  it('hands out a merged child only after both parents are read to their ends', () => {
    expect(eligibleShards(merge([false, false]))).toEqual([0, 1]);
    expect(eligibleShards(merge([true, false]))).toEqual([1]);
    expect(eligibleShards(merge([true, true]))).toEqual([2]);
  });

  it('treats a parent that is no longer listed as finished', () => {
    expect(eligibleShards([{ index: 5, parents: [3], finished: false }])).toEqual([5]);
  });

  it('follows a chain of reshards generation by generation', () => {
    const chain: LineageShard[] = [
      { index: 0, parents: [], finished: true },
      { index: 1, parents: [0], finished: false },
      { index: 2, parents: [0], finished: true },
      { index: 3, parents: [2], finished: false },
      { index: 4, parents: [1, 3], finished: false },
    ];
    expect(eligibleShards(chain)).toEqual([1, 3]);
  });
});
