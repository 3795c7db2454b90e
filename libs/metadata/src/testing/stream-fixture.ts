import type { NewShard, NewStream } from '../repositories/stream.repository';

const HASH_KEY_SPACE = 2n ** 128n;

/** `count` open shards that split the 128-bit hash-key space evenly, as CreateStream lays them out. */
export function evenShards(count: number): NewShard[] {
  const width = HASH_KEY_SPACE / BigInt(count);
  return Array.from({ length: count }, (_, index) => ({
    index,
    shardId: `shardId-${String(index).padStart(12, '0')}`,
    hashKeyStart: width * BigInt(index),
    hashKeyEnd: index === count - 1 ? HASH_KEY_SPACE - 1n : width * BigInt(index + 1) - 1n,
    startingSequenceNumber: String(index).padStart(56, '0'),
  }));
}

/** A valid CreateStream input for tests: ACTIVE at once (readyAt in the past), two shards, no tags. */
export function newStream(name: string, overrides: Partial<NewStream> = {}): NewStream {
  return {
    name,
    arn: `arn:aws:kinesis:us-east-1:000000000000:stream/${name}`,
    mode: 'PROVISIONED',
    retentionHours: 24,
    readyAt: new Date(0),
    shards: evenShards(2),
    tags: [],
    ...overrides,
  };
}
