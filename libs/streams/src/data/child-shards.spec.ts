import type { Shard, Stream } from '@shardline/protocol';
import { childShardsOf } from './child-shards';

const shard = (index: number, extra: Partial<Shard> = {}): Shard => ({
  shardId: `shardId-${String(index).padStart(12, '0')}`,
  index,
  hashKeyStart: 0n,
  hashKeyEnd: 99n,
  startingSequenceNumber: '0',
  status: 'OPEN',
  ...extra,
});

const streamOf = (shards: Shard[]): Stream => ({
  id: 'id',
  name: 's',
  arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/s',
  status: 'ACTIVE',
  mode: 'PROVISIONED',
  retentionHours: 24,
  createdAt: new Date(0),
  encryptionType: 'NONE',
  shards,
  consumerCount: 0,
  enhancedMonitoring: [],
});

describe('childShardsOf', () => {
  it('names both children of a split shard', () => {
    const parent = shard(0, { status: 'CLOSED' });
    const stream = streamOf([
      parent,
      shard(1, { parentShardId: parent.shardId, hashKeyEnd: 49n }),
      shard(2, { parentShardId: parent.shardId, hashKeyStart: 50n }),
    ]);
    expect(childShardsOf(stream, parent)).toEqual([
      { shardId: 'shardId-000000000001', parentShards: ['shardId-000000000000'], hashKeyStart: 0n, hashKeyEnd: 49n },
      { shardId: 'shardId-000000000002', parentShards: ['shardId-000000000000'], hashKeyStart: 50n, hashKeyEnd: 99n },
    ]);
  });

  it('names the merged child of both parents, each with both parents', () => {
    const left = shard(0, { status: 'CLOSED', hashKeyEnd: 49n });
    const right = shard(1, { status: 'CLOSED', hashKeyStart: 50n });
    const child = shard(2, { parentShardId: left.shardId, adjacentParentShardId: right.shardId });
    const stream = streamOf([left, right, child]);
    const expected = [{ shardId: child.shardId, parentShards: [left.shardId, right.shardId], hashKeyStart: 0n, hashKeyEnd: 99n }];
    expect(childShardsOf(stream, left)).toEqual(expected);
    expect(childShardsOf(stream, right)).toEqual(expected);
    expect(childShardsOf(stream, child)).toEqual([]);
  });
});
