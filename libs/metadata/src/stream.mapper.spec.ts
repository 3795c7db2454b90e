import { numericBigint } from './entities/bigint.transformer';
import type { ShardEntity } from './entities/shard.entity';
import type { StreamEntity } from './entities/stream.entity';
import { accountOf, toStream, toTag } from './stream.mapper';

const MAX_HASH_KEY = 2n ** 128n - 1n;

function shardRow(index: number, overrides: Partial<ShardEntity> = {}): ShardEntity {
  return {
    streamId: 'id-1',
    shardIndex: index,
    shardId: `shardId-${String(index).padStart(12, '0')}`,
    hashKeyStart: 0n,
    hashKeyEnd: MAX_HASH_KEY,
    startingSequenceNumber: '1',
    endingSequenceNumber: null,
    parentShardId: null,
    adjacentParentShardId: null,
    status: 'OPEN',
    createdAt: new Date(0),
    closedAt: null,
    ...overrides,
  };
}

const streamRow: StreamEntity = {
  id: 'id-1',
  name: 'orders',
  arn: 'arn:aws:kinesis:us-east-1:000000000000:stream/orders',
  mode: 'PROVISIONED',
  status: 'ACTIVE',
  retentionHours: 24,
  createdAt: new Date('2024-01-01T00:00:00Z'),
  readyAt: new Date('2024-01-01T00:00:01Z'),
  deletingAt: null,
  goneAt: null,
  encryptionType: 'NONE',
  keyId: null,
  updatingUntil: null,
  scalingOperations: [],
  shardLevelMetrics: ['IncomingBytes'],
  maxRecordSizeKiB: 2048,
};

describe('toStream', () => {
  it('orders shards by index and omits absent optional fields', () => {
    const stream = toStream(streamRow, [shardRow(2), shardRow(0)], new Date('2024-01-01T00:00:00.5Z'));
    expect(stream.status).toBe('CREATING');
    expect(stream.shards.map((shard) => shard.index)).toEqual([0, 2]);
    expect(stream.shards[0]).not.toHaveProperty('parentShardId');
    expect(stream).not.toHaveProperty('keyId');
    expect(stream.enhancedMonitoring).toEqual(['IncomingBytes']);
    expect(stream.maxRecordSizeKiB).toBe(2048);
  });

  it('keeps lineage and the ending sequence number of closed shards', () => {
    const closed = shardRow(3, { status: 'CLOSED', parentShardId: 'p', adjacentParentShardId: 'q', endingSequenceNumber: '9' });
    const [shard] = toStream(streamRow, [closed], new Date('2025-01-01T00:00:00Z')).shards;
    expect(shard).toMatchObject({ parentShardId: 'p', adjacentParentShardId: 'q', endingSequenceNumber: '9', status: 'CLOSED' });
  });
});

describe('numericBigint', () => {
  it('round-trips the largest 128-bit hash key through its decimal text', () => {
    const text = numericBigint.to(MAX_HASH_KEY);
    expect(text).toBe('340282366920938463463374607431768211455');
    expect(numericBigint.from(text)).toBe(MAX_HASH_KEY);
  });
});

describe('toTag / accountOf', () => {
  it('drops null tag values', () => {
    expect(toTag({ streamId: 'x', key: 'k', value: null })).toEqual({ key: 'k' });
    expect(toTag({ streamId: 'x', key: 'k', value: 'v' })).toEqual({ key: 'k', value: 'v' });
  });

  it('reads the account out of an ARN', () => {
    expect(accountOf(streamRow.arn)).toBe('000000000000');
  });
});
