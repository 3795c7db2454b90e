import type { ShardAddress } from '@shardline/messaging';
import { planClaims, type LeaseView } from './placement-plan';

const NOW = new Date('2024-01-01T00:00:00Z');
const LIVE = new Date(NOW.getTime() + 10_000);
const EXPIRED = new Date(NOW.getTime() - 1);

const shardsOf = (streamId: string, count: number): ShardAddress[] =>
  Array.from({ length: count }, (_, shardIndex) => ({ streamId, shardIndex }));
const key = (s: ShardAddress) => `${s.streamId}/${s.shardIndex}`;
const keys = (shards: ShardAddress[]) => shards.map(key).sort();

/**
 * The lease table several processes share: each round every owner plans from the same
 * picture and applies its plan, a claim succeeding only where no other live lease is.
 */
class LeaseTable {
  readonly leases = new Map<string, LeaseView>();

  constructor(
    public shards: ShardAddress[],
    public owners: string[],
  ) {}

  heldBy(owner: string): string[] {
    return [...this.leases.values()].filter((l) => l.owner === owner).map(key).sort();
  }

  counts(): number[] {
    return this.owners.map((o) => this.heldBy(o).length);
  }

  /** One owner's turn; answers its plan. */
  turn(ownerId: string) {
    const plan = planClaims({
      ownerId,
      owners: this.owners,
      shards: this.shards,
      leases: [...this.leases.values()],
      held: this.heldBy(ownerId),
      now: NOW,
    });
    for (const s of plan.release) this.leases.delete(key(s));
    for (const s of plan.claim) {
      const current = this.leases.get(key(s));
      if (!current || current.expiresAt <= NOW || current.owner === ownerId) this.leases.set(key(s), { ...s, owner: ownerId, expiresAt: LIVE });
    }
    return plan;
  }

  /** Rounds until nobody changes anything (or `max` rounds); answers how many it took. */
  settle(max = 50): number {
    for (let round = 1; round <= max; round++) {
      const plans = this.owners.map((o) => this.turn(o));
      if (plans.every((p) => p.claim.length === 0 && p.release.length === 0)) return round;
    }
    throw new Error(`placement did not settle in ${max} rounds: ${this.counts().join(',')}`);
  }
}

describe('planClaims', () => {
  it('gives a lone owner every shard', () => {
    const plan = planClaims({ ownerId: 'a', owners: ['a'], shards: shardsOf('s', 4), leases: [], held: [], now: NOW });
    expect(keys(plan.claim)).toEqual(keys(shardsOf('s', 4)));
    expect(plan.release).toEqual([]);
  });

  it('counts itself as an owner even when the owner list misses it', () => {
    const plan = planClaims({ ownerId: 'a', owners: ['b'], shards: shardsOf('s', 4), leases: [], held: [], now: NOW });
    expect(plan.claim).toHaveLength(2);
  });

  it.each([
    [1, 5, [5]],
    [2, 4, [2, 2]],
    [2, 5, [3, 2]],
    [3, 3, [1, 1, 1]],
    [3, 6, [2, 2, 2]],
    [3, 9, [3, 3, 3]],
  ])('with %i owners, places %i shards fairly: %j', (ownerCount, shardCount, expected) => {
    const table = new LeaseTable(shardsOf('s', shardCount), ['a', 'b', 'c'].slice(0, ownerCount));
    table.settle();
    expect(table.counts()).toEqual(expected);
    expect(table.leases.size).toBe(shardCount);
  });

  it('rebalances when owners join, an overloaded owner releasing one shard per round', () => {
    const table = new LeaseTable(shardsOf('s', 6), ['a']);
    table.settle();
    expect(table.counts()).toEqual([6]);

    table.owners = ['a', 'b', 'c'];
    const releases: number[] = [];
    for (let round = 0; round < 4; round++) {
      releases.push(table.turn('a').release.length);
      table.turn('b');
      table.turn('c');
    }
    expect(releases).toEqual([1, 1, 1, 1]);
    expect(table.counts()).toEqual([2, 2, 2]);
    expect(table.settle()).toBe(1);
  });

  it('does not claim a shard another owner holds a live lease on', () => {
    const leases: LeaseView[] = [
      { streamId: 's', shardIndex: 0, owner: 'b', expiresAt: LIVE },
      { streamId: 's', shardIndex: 1, owner: 'b', expiresAt: LIVE },
    ];
    const plan = planClaims({ ownerId: 'a', owners: ['a'], shards: shardsOf('s', 4), leases, held: [], now: NOW });
    expect(keys(plan.claim)).toEqual(['s/2', 's/3']);
  });

  it('claims shards whose lease expired, as from an owner that died', () => {
    const leases: LeaseView[] = shardsOf('s', 3).map((s) => ({ ...s, owner: 'dead', expiresAt: EXPIRED }));
    const plan = planClaims({ ownerId: 'a', owners: ['a'], shards: shardsOf('s', 3), leases, held: [], now: NOW });
    expect(keys(plan.claim)).toEqual(keys(shardsOf('s', 3)));
  });

  it('treats a lease expiring exactly now as expired', () => {
    const leases: LeaseView[] = [{ streamId: 's', shardIndex: 0, owner: 'b', expiresAt: NOW }];
    const plan = planClaims({ ownerId: 'a', owners: ['a'], shards: shardsOf('s', 1), leases, held: [], now: NOW });
    expect(keys(plan.claim)).toEqual(['s/0']);
  });

  it('keeps what it holds and claims only up to its share', () => {
    const plan = planClaims({
      ownerId: 'a',
      owners: ['a', 'b'],
      shards: shardsOf('s', 6),
      leases: [{ streamId: 's', shardIndex: 4, owner: 'a', expiresAt: LIVE }],
      held: ['s/4'],
      now: NOW,
    });
    expect(keys(plan.keep)).toEqual(['s/4']);
    expect(plan.claim).toHaveLength(2);
    expect(keys(plan.claim)).not.toContain('s/4');
  });

  it('releases the shards of a deleted stream, whatever its share', () => {
    const plan = planClaims({
      ownerId: 'a',
      owners: ['a'],
      shards: shardsOf('kept', 2),
      leases: [],
      held: ['kept/0', 'gone/0', 'gone/1'],
      now: NOW,
    });
    expect(keys(plan.keep)).toEqual(['kept/0']);
    expect(plan.release).toEqual([
      { streamId: 'gone', shardIndex: 0 },
      { streamId: 'gone', shardIndex: 1 },
    ]);
    expect(keys(plan.claim)).toEqual(['kept/1']);
  });

  it('releases only one shard of its extra in a round', () => {
    const held = shardsOf('s', 8).map(key);
    const plan = planClaims({ ownerId: 'a', owners: ['a', 'b', 'c', 'd'], shards: shardsOf('s', 8), leases: [], held, now: NOW });
    expect(plan.release).toHaveLength(1);
    expect(plan.keep).toHaveLength(7);
    expect(plan.claim).toEqual([]);
  });

  // BUG (reported): with ceil(shards / owners) as the only bound, 4 shards over 3 owners can
  // settle at 2/2/0, one live owner idle forever. Unskip once an owner at its share gives one
  // up to an owner that holds fewer than share - 1 (as the KCL's lease taker does).
  it('leaves no live owner idle while another holds more than one shard (4 shards, 3 owners)', () => {
    const table = new LeaseTable(shardsOf('s', 4), ['a', 'b', 'c']);
    table.settle();
    expect(Math.min(...table.counts())).toBeGreaterThanOrEqual(1);
  });
});
