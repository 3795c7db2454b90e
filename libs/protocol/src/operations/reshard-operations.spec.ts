import { FakeKinesisBackend, evenShards } from './fake-backend';
import type { OperationContext } from './operation';
import { runNamed } from './testing';

const NOW = new Date('2024-01-01T00:00:00.123Z');
const ctx: OperationContext = { region: 'us-east-1', accountId: '123456789012', now: () => NOW };
const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/s';

const run = (backend: FakeKinesisBackend, name: string, body: Record<string, unknown>) => runNamed(backend, name, body, ctx);

describe('resharding operations', () => {
  it('SplitShard passes the new starting hash key as an integer and answers {}', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s', evenShards(1));
    const key = '170141183460469231731687303715884105728';
    expect(await run(backend, 'SplitShard', { StreamName: 's', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: key })).toEqual({});
    expect(backend.lastReshard).toEqual({ op: 'split', ref: { name: 's' }, args: ['shardId-000000000000', BigInt(key)] });
    expect(backend.streams.get('s')!.shards.map((s) => [s.shardId, s.status, s.parentShardId])).toEqual([
      ['shardId-000000000000', 'CLOSED', undefined],
      ['shardId-000000000001', 'OPEN', 'shardId-000000000000'],
      ['shardId-000000000002', 'OPEN', 'shardId-000000000000'],
    ]);
  });

  it('MergeShards names both shards', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s', evenShards(2));
    const body = { StreamARN: ARN, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000000' };
    expect(await run(backend, 'MergeShards', body)).toEqual({});
    expect(backend.lastReshard).toEqual({ op: 'merge', ref: { arn: ARN }, args: ['shardId-000000000001', 'shardId-000000000000'] });
  });

  it('UpdateShardCount answers the counts, the name and the ARN', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s', evenShards(2));
    const answer = await run(backend, 'UpdateShardCount', { StreamName: 's', TargetShardCount: 4, ScalingType: 'UNIFORM_SCALING' });
    expect(answer).toEqual({ CurrentShardCount: 2, TargetShardCount: 4, StreamName: 's', StreamARN: ARN });
  });

  it('UpdateStreamMode names the stream by ARN', async () => {
    const backend = new FakeKinesisBackend(NOW);
    backend.addStream('s');
    expect(await run(backend, 'UpdateStreamMode', { StreamARN: ARN, StreamModeDetails: { StreamMode: 'ON_DEMAND' } })).toEqual({});
    expect(backend.lastReshard).toEqual({ op: 'updateStreamMode', ref: { arn: ARN }, args: ['ON_DEMAND'] });
    expect(backend.streams.get('s')!.mode).toBe('ON_DEMAND');
  });
});
