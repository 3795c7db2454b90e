import { createHash } from 'node:crypto';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  type ChildShard,
  type KinesisClient,
  type Shard,
} from '@aws-sdk/client-kinesis';

/** The hash key Kinesis routes a partition key by: MD5 as a 128-bit unsigned integer. */
export const hashKeyOf = (partitionKey: string) => BigInt('0x' + createHash('md5').update(partitionKey).digest('hex'));

/** One record as read back: its key, its number in the key's sequence, where it was stored. */
export interface ReadRecord {
  key: string;
  n: number;
  shardId: string;
  sequenceNumber: string;
}

/**
 * A steady put load: PutRecords of `batch` records over `keys` partition keys, one call after
 * the other, each record numbered per key. Every acknowledged record is remembered; any
 * failed record is counted (the tests expect none: a reshard must not fail puts).
 */
export class PutLoad {
  readonly acked = new Set<string>();
  failed = 0;
  calls = 0;
  private readonly next = new Map<string, number>();
  private stopped = false;
  private loop?: Promise<void>;

  constructor(
    private readonly kinesis: KinesisClient,
    private readonly StreamName: string,
    private readonly keys = 16,
    private readonly batch = 40,
    private readonly pauseMs = 5,
  ) {}

  start(): this {
    this.loop = this.run();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const records = Array.from({ length: this.batch }, (_, i) => {
        const key = `key-${(this.calls * this.batch + i) % this.keys}`;
        const n = this.next.get(key) ?? 0;
        this.next.set(key, n + 1);
        return { PartitionKey: key, Data: Buffer.from(`${key}:${n}`) };
      });
      this.calls++;
      const answer = await this.kinesis.send(new PutRecordsCommand({ StreamName: this.StreamName, Records: records }));
      answer.Records!.forEach((result, i) => {
        if (result.ErrorCode) this.failed++;
        else this.acked.add(records[i]!.Data.toString());
      });
      if (this.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }
}

export async function listAllShards(kinesis: KinesisClient, StreamName: string): Promise<Shard[]> {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
  return Shards!;
}

/**
 * Reads one shard from TRIM_HORIZON: a closed shard until GetRecords answers no next
 * iterator (and its ChildShards), an open one until it is at the tip.
 */
export async function readWholeShard(
  kinesis: KinesisClient,
  StreamName: string,
  ShardId: string,
): Promise<{ records: ReadRecord[]; childShards?: ChildShard[] }> {
  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
  const records: ReadRecord[] = [];
  let iterator = ShardIterator;
  for (;;) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
    for (const r of page.Records!) {
      const [key, n] = Buffer.from(r.Data!).toString().split(':');
      records.push({ key: key!, n: Number(n), shardId: ShardId, sequenceNumber: r.SequenceNumber! });
    }
    if (page.NextShardIterator === undefined) return { records, childShards: page.ChildShards };
    if (page.Records!.length === 0 && page.MillisBehindLatest === 0) return { records };
    iterator = page.NextShardIterator;
  }
}

/**
 * Reads every shard of the stream, following ChildShards from the shards open at the trim
 * horizon, parents before children (a child is read once all its parents are). Checks that
 * every record was stored in a shard whose range holds its key, and returns records in the
 * order a lineage-respecting reader sees them.
 */
export async function readStreamByLineage(kinesis: KinesisClient, StreamName: string): Promise<ReadRecord[]> {
  const shards = await listAllShards(kinesis, StreamName);
  const byId = new Map(shards.map((s) => [s.ShardId!, s]));
  const done = new Set<string>();
  const queue = shards.filter((s) => !s.ParentShardId || !byId.has(s.ParentShardId)).map((s) => s.ShardId!);
  const all: ReadRecord[] = [];
  while (queue.length > 0) {
    const shardId = queue.shift()!;
    if (done.has(shardId)) continue;
    const { records, childShards } = await readWholeShard(kinesis, StreamName, shardId);
    const shard = byId.get(shardId)!;
    for (const r of records) {
      const hash = hashKeyOf(r.key);
      expect(hash >= BigInt(shard.HashKeyRange!.StartingHashKey!) && hash <= BigInt(shard.HashKeyRange!.EndingHashKey!)).toBe(true);
      if (shard.SequenceNumberRange!.EndingSequenceNumber) {
        expect(BigInt(r.sequenceNumber) <= BigInt(shard.SequenceNumberRange!.EndingSequenceNumber)).toBe(true);
      }
    }
    all.push(...records);
    done.add(shardId);
    if (shard.SequenceNumberRange!.EndingSequenceNumber) expect(childShards?.length).toBeGreaterThan(0);
    for (const child of childShards ?? []) {
      if (child.ParentShards!.every((p) => done.has(p))) queue.push(child.ShardId!);
    }
  }
  expect([...done].sort()).toEqual(shards.map((s) => s.ShardId!).sort());
  return all;
}

/** Every acknowledged record read exactly once, and each key's records in the order they were put. */
export function expectExactlyOnceInOrder(read: ReadRecord[], acked: Set<string>): void {
  const seen = read.map((r) => `${r.key}:${r.n}`);
  expect(new Set(seen).size).toBe(seen.length);
  expect(seen.length).toBe(acked.size);
  expect(new Set(seen)).toEqual(acked);
  const last = new Map<string, number>();
  for (const r of read) {
    expect(r.n).toBe((last.get(r.key) ?? -1) + 1);
    last.set(r.key, r.n);
  }
}
