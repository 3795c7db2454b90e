import type { ShardView } from '../api';

const MAX_HASH = 2n ** 128n;
const WIDTH = 960;
const ROW = 44;

/** Where a hash key falls across the key space, 0..1. */
const fraction = (hashKey: string) => Number((BigInt(hashKey) * 1_000_000n) / MAX_HASH) / 1_000_000;

/** A shard's generation: 0 for the stream's first shards, one more than its deepest parent after a split or merge. */
function generations(shards: ShardView[]): Map<string, number> {
  const byId = new Map(shards.map((s) => [s.shardId, s]));
  const depth = new Map<string, number>();
  const of = (shard: ShardView): number => {
    const known = depth.get(shard.shardId);
    if (known !== undefined) return known;
    const parents = [shard.parentShardId, shard.adjacentParentShardId].map((id) => (id ? byId.get(id) : undefined));
    const value = Math.max(-1, ...parents.map((p) => (p ? of(p) : -1))) + 1;
    depth.set(shard.shardId, value);
    return value;
  };
  shards.forEach(of);
  return depth;
}

/**
 * A stream's shards drawn over the 128-bit hash-key space: one row per generation, so the
 * parents of a split or merge sit above their children; closed shards are grey.
 */
export function ShardMap({ shards }: { shards: ShardView[] }) {
  const depth = generations(shards);
  const rows = Math.max(0, ...depth.values()) + 1;
  return (
    <svg class="shard-map" width={WIDTH} height={rows * ROW + 20} viewBox={`0 0 ${WIDTH} ${rows * ROW + 20}`} role="img" aria-label="shards by hash-key range">
      {shards.map((shard) => {
        const x = fraction(shard.hashKeyRange.start) * WIDTH;
        const end = (fraction(shard.hashKeyRange.end) * WIDTH);
        const y = depth.get(shard.shardId)! * ROW;
        const parents = [shard.parentShardId, shard.adjacentParentShardId].filter(Boolean).join(', ');
        return (
          <g key={shard.shardId} class={`shard ${shard.status.toLowerCase()}`} data-shard-id={shard.shardId} data-status={shard.status} data-parent={parents}>
            <title>
              {`${shard.shardId} (${shard.status})\nhash keys ${shard.hashKeyRange.start} – ${shard.hashKeyRange.end}${parents ? `\nparents: ${parents}` : ''}`}
            </title>
            <rect x={x + 1} y={y + 2} width={Math.max(2, end - x - 2)} height={ROW - 6} rx={4} />
            <text x={x + 8} y={y + ROW / 2 + 4}>
              {shard.shardId.replace('shardId-', '#')}
            </text>
          </g>
        );
      })}
      <text class="axis" x={0} y={rows * ROW + 16}>
        0
      </text>
      <text class="axis" x={WIDTH} y={rows * ROW + 16} text-anchor="end">
        2^128 − 1
      </text>
    </svg>
  );
}
