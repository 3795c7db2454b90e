import { createHash } from 'node:crypto';
import { MAX_HASH_KEY, evenHashKeyRanges, shardIdOf } from '@shardline/protocol';
import type { Shard, ShardStatus, Stream } from '@shardline/protocol';
import { ShardRouter } from './shard-router';

const md5 = (key: string) => BigInt('0x' + createHash('md5').update(key, 'utf8').digest('hex'));

function shard(index: number, start: bigint, end: bigint, status: ShardStatus = 'OPEN'): Shard {
  return { shardId: shardIdOf(index), index, hashKeyStart: start, hashKeyEnd: end, startingSequenceNumber: '0', status };
}

function streamOf(shards: Shard[]): Stream {
  return {
    id: 'stream-id',
    name: 'orders',
    arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders',
    status: 'ACTIVE',
    mode: 'PROVISIONED',
    retentionHours: 24,
    createdAt: new Date(0),
    encryptionType: 'NONE',
    shards,
    consumerCount: 0,
    enhancedMonitoring: [],
  };
}

const evenShards = (count: number) => evenHashKeyRanges(count).map((r, i) => shard(i, r.start, r.end));
const HALF = 1n << 127n;
const keys = Array.from({ length: 300 }, (_, i) => `partition-${i}`).concat(['', 'ünïcödé', '🦀']);

describe('ShardRouter', () => {
  it.each([1, 2, 3, 4, 7])('routes each partition key by MD5 to the shard whose range holds it (%i shards)', (count) => {
    const shards = evenShards(count);
    const router = new ShardRouter(streamOf(shards));
    for (const key of keys) {
      const hash = md5(key);
      const expected = shards.find((s) => s.hashKeyStart <= hash && hash <= s.hashKeyEnd)!;
      expect(router.route(key).shardId).toBe(expected.shardId);
    }
  });

  it('spreads many keys over every shard', () => {
    const router = new ShardRouter(streamOf(evenShards(4)));
    expect(new Set(keys.map((k) => router.route(k).index))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('routes by an explicit hash key instead of the partition key, boundaries included', () => {
    const shards = evenShards(4);
    const router = new ShardRouter(streamOf(shards));
    for (const s of shards) {
      expect(router.route('ignored', s.hashKeyStart).index).toBe(s.index);
      expect(router.route('ignored', s.hashKeyEnd).index).toBe(s.index);
    }
    expect(router.route('ignored', 0n).index).toBe(0);
    expect(router.route('ignored', MAX_HASH_KEY).index).toBe(3);
    const keyOnShard3 = keys.find((k) => md5(k) >= shards[3].hashKeyStart)!;
    expect(router.route(keyOnShard3, 0n).index).toBe(0);
  });

  it('routes only to open shards after a split, whatever order the shards come in', () => {
    const router = new ShardRouter(
      streamOf([shard(0, 0n, MAX_HASH_KEY, 'CLOSED'), shard(2, HALF, MAX_HASH_KEY), shard(1, 0n, HALF - 1n)]),
    );
    expect(router.route('x', 0n).index).toBe(1);
    expect(router.route('x', HALF - 1n).index).toBe(1);
    expect(router.route('x', HALF).index).toBe(2);
    expect(router.route('x', MAX_HASH_KEY).index).toBe(2);
    for (const key of keys) expect(router.route(key).index).toBe(md5(key) < HALF ? 1 : 2);
  });

  it('routes only to the open child after a merge', () => {
    const router = new ShardRouter(
      streamOf([shard(0, 0n, HALF - 1n, 'CLOSED'), shard(1, HALF, MAX_HASH_KEY, 'CLOSED'), shard(2, 0n, MAX_HASH_KEY)]),
    );
    for (const key of keys) expect(router.route(key).index).toBe(2);
  });
});
