import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  MergeShardsCommand,
  SplitShardCommand,
  UpdateShardCountCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { createActiveStream, waitActive } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { expectExactlyOnceInOrder, listAllShards, PutLoad, readStreamByLineage } from '../support/resharding';

const HALF = (1n << 127n).toString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resharding under a steady put load, through the unmodified AWS SDK over h2c: no put
 * fails, and reading every shard by lineage gives each acknowledged record exactly once,
 * each key's records in the order they were put (parent before child).
 */
describe('resharding under load', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    platform = await startTestPlatform({ updateDelayMs: 100 });
    kinesis = kinesisClient(platform.endpoint, 'h2c');
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  /** Runs `reshard` in the middle of a put load and checks what was read back. */
  async function underLoad(StreamName: string, reshard: () => Promise<void>): Promise<PutLoad> {
    const load = new PutLoad(kinesis, StreamName).start();
    await sleep(400);
    await reshard();
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    expect(StreamDescriptionSummary!.StreamStatus).toBe('UPDATING');
    await waitActive(kinesis, StreamName);
    await sleep(400);
    await load.stop();
    expect(load.failed).toBe(0);
    const read = await readStreamByLineage(kinesis, StreamName);
    expectExactlyOnceInOrder(read, load.acked);
    // the load really spanned the reshard: records in closed parents and in open children
    const closed = new Set((await listAllShards(kinesis, StreamName)).filter((s) => s.SequenceNumberRange!.EndingSequenceNumber).map((s) => s.ShardId));
    expect(read.some((r) => closed.has(r.shardId))).toBe(true);
    expect(read.some((r) => !closed.has(r.shardId))).toBe(true);
    return load;
  }

  it('SplitShard closes the parent at its last record and opens two children above it', async () => {
    const StreamName = randomName('split');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    await underLoad(StreamName, async () => {
      await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF }));
    });
    const shards = await listAllShards(kinesis, StreamName);
    expect(shards.map((s) => [s.ShardId, s.ParentShardId, s.HashKeyRange!.StartingHashKey])).toEqual([
      ['shardId-000000000000', undefined, '0'],
      ['shardId-000000000001', 'shardId-000000000000', '0'],
      ['shardId-000000000002', 'shardId-000000000000', HALF],
    ]);
    const [parent, low, high] = shards;
    expect(parent!.SequenceNumberRange!.EndingSequenceNumber).toBeDefined();
    expect(BigInt(low!.SequenceNumberRange!.StartingSequenceNumber!)).toBeGreaterThan(
      BigInt(parent!.SequenceNumberRange!.EndingSequenceNumber!),
    );
    expect(high!.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();

    // A reader at the end of the closed parent gets no next iterator and the children.
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'LATEST' }),
    );
    const end = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    expect(end.NextShardIterator).toBeUndefined();
    expect(end.ChildShards!.map((c) => [c.ShardId, c.ParentShards])).toEqual([
      ['shardId-000000000001', ['shardId-000000000000']],
      ['shardId-000000000002', ['shardId-000000000000']],
    ]);
  });

  it('MergeShards closes two adjacent shards and opens one child with both parents', async () => {
    const StreamName = randomName('merge');
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });
    await underLoad(StreamName, async () => {
      await kinesis.send(
        new MergeShardsCommand({ StreamName, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000000' }),
      );
    });
    const shards = await listAllShards(kinesis, StreamName);
    expect(shards.map((s) => [s.ShardId, s.ParentShardId, s.AdjacentParentShardId, s.HashKeyRange!.StartingHashKey])).toEqual([
      ['shardId-000000000000', undefined, undefined, '0'],
      ['shardId-000000000001', undefined, undefined, HALF],
      ['shardId-000000000002', 'shardId-000000000001', 'shardId-000000000000', '0'],
    ]);
    expect(shards[2]!.HashKeyRange!.EndingHashKey).toBe(((1n << 128n) - 1n).toString());
  });

  it('UpdateShardCount scales 2 -> 4 -> 3 -> 2 to even ranges without losing or repeating a record', async () => {
    const StreamName = randomName('scale');
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });
    const load = new PutLoad(kinesis, StreamName).start();
    for (const [current, target] of [
      [2, 4],
      [4, 3],
      [3, 2],
    ]) {
      await sleep(250);
      const answer = await kinesis.send(new UpdateShardCountCommand({ StreamName, TargetShardCount: target, ScalingType: 'UNIFORM_SCALING' }));
      expect(answer).toMatchObject({ StreamName, CurrentShardCount: current, TargetShardCount: target });
      expect(answer.StreamARN).toMatch(new RegExp(`:stream/${StreamName}$`));
      await waitActive(kinesis, StreamName);
    }
    await sleep(300);
    await load.stop();
    expect(load.failed).toBe(0);
    expectExactlyOnceInOrder(await readStreamByLineage(kinesis, StreamName), load.acked);
    const open = (await listAllShards(kinesis, StreamName)).filter((s) => !s.SequenceNumberRange!.EndingSequenceNumber);
    expect(open.map((s) => s.HashKeyRange!.StartingHashKey)).toEqual(['0', HALF]);
  });
});
