/** A shard as the assignment sees it: its lineage, and whether the group has read it to its end. */
export interface LineageShard {
  index: number;
  /** Indexes of its parents (one after a split, two after a merge, none for an original shard). */
  parents: number[];
  /** True when the group checkpointed this closed shard at its end: it needs no reader again. */
  finished: boolean;
}

/** What an assignment is computed from. */
export interface AssignmentInput {
  /** Live members of the group. */
  members: string[];
  /** Every shard of the stream, open and closed. */
  shards: LineageShard[];
  /** Current owners by shard index (possibly of members that are gone). */
  current: ReadonlyMap<number, string>;
}

/**
 * The shards that need a reader now: not finished, and every parent finished (a parent that
 * is no longer listed, e.g. trimmed away, counts as finished). Children wait for their
 * parents so each key's records are read in order across a split or merge, as KCL does.
 */
export function eligibleShards(shards: LineageShard[]): number[] {
  const byIndex = new Map(shards.map((shard) => [shard.index, shard]));
  return shards
    .filter((shard) => !shard.finished && shard.parents.every((parent) => byIndex.get(parent)?.finished ?? true))
    .map((shard) => shard.index)
    .sort((a, b) => a - b);
}

/**
 * Who should read what: every eligible shard to exactly one live member, the members' counts
 * differing by at most one, moving as few shards as possible (a member keeps what it holds
 * up to its quota; the larger quotas go to those already holding the most).
 */
export function assignShards(input: AssignmentInput): Map<number, string> {
  const members = [...new Set(input.members)].sort();
  const out = new Map<number, string>();
  if (members.length === 0) return out;
  const eligible = eligibleShards(input.shards);
  const kept = new Map<string, number[]>(members.map((member) => [member, []]));
  for (const shard of eligible) kept.get(input.current.get(shard) ?? '')?.push(shard);

  const base = Math.floor(eligible.length / members.length);
  let extra = eligible.length % members.length;
  const byHeld = [...members].sort((a, b) => kept.get(b)!.length - kept.get(a)!.length || a.localeCompare(b));
  const quota = new Map<string, number>();
  for (const member of byHeld) quota.set(member, base + (extra-- > 0 ? 1 : 0));

  for (const member of members) {
    for (const shard of kept.get(member)!.slice(0, quota.get(member))) out.set(shard, member);
  }
  for (const shard of eligible.filter((s) => !out.has(s))) {
    const member = roomiest(members, quota, out);
    out.set(shard, member);
  }
  return out;
}

/** The member with the most room left under its quota (ties: the lowest id). */
function roomiest(members: string[], quota: Map<string, number>, out: Map<number, string>): string {
  const held = new Map<string, number>(members.map((member) => [member, 0]));
  for (const owner of out.values()) held.set(owner, held.get(owner)! + 1);
  let best = members[0]!;
  for (const member of members) {
    if (quota.get(member)! - held.get(member)! > quota.get(best)! - held.get(best)!) best = member;
  }
  return best;
}
