import type { ShardAddress } from '@shardline/messaging';

/** A lease as placement sees it. */
export interface LeaseView {
  streamId: string;
  shardIndex: number;
  owner: string;
  expiresAt: Date;
}

/** What one process should do this round. */
export interface PlacementPlan {
  keep: ShardAddress[];
  claim: ShardAddress[];
  release: ShardAddress[];
}

const key = (s: ShardAddress) => `${s.streamId}/${s.shardIndex}`;

/**
 * Fair share placement, decided by each process from the same picture: each live owner
 * holds at most ceil(shards / owners). An owner above its share releases one shard per
 * round (so a joining process gets shards without a stampede); below it, it claims shards
 * that have no live lease.
 */
export function planClaims(input: {
  ownerId: string;
  owners: string[];
  shards: ShardAddress[];
  leases: LeaseView[];
  held: string[];
  now: Date;
}): PlacementPlan {
  const assignable = new Map(input.shards.map((s) => [key(s), s]));
  const held = new Set(input.held.filter((k) => assignable.has(k)));
  const owners = Math.max(1, new Set([...input.owners, input.ownerId]).size);
  const share = Math.ceil(assignable.size / owners);
  const keep = [...held].map((k) => assignable.get(k)!);
  const release = [...input.held.filter((k) => !assignable.has(k)).map(parseKey)];
  const live = input.leases.filter((l) => l.expiresAt > input.now && l.owner !== input.ownerId && assignable.has(key(l)));
  const taken = new Set(live.map(key));
  const free = [...assignable.values()].filter((s) => !held.has(key(s)) && !taken.has(key(s)));
  if (keep.length > share || (keep.length > 1 && free.length === 0 && someoneStarved(input.owners.filter((o) => o !== input.ownerId), live, keep.length))) {
    release.push(keep.pop()!);
  }
  return { keep, claim: free.slice(0, Math.max(0, share - keep.length)), release };
}

/** True when a live owner holds at least two shards fewer than we do (KCL's lease-taker rule). */
function someoneStarved(owners: string[], live: LeaseView[], mine: number): boolean {
  const counts = new Map(owners.map((o) => [o, 0]));
  for (const lease of live) if (counts.has(lease.owner)) counts.set(lease.owner, counts.get(lease.owner)! + 1);
  return [...counts.values()].some((count) => count < mine - 1);
}

function parseKey(k: string): ShardAddress {
  const [streamId, shardIndex] = k.split('/');
  return { streamId, shardIndex: Number(shardIndex) };
}
