import type { Shard } from '../domain';
import { FakeKinesisBackend, evenShards } from './fake-backend';
import { listShards } from './list-shards';
import { encodeNextToken } from './next-token';
import { runOperation } from './index';
import { failure } from './testing';

const CREATED = new Date('2024-01-01T00:00:00.000Z');
const HOUR = 3_600_000;
const at = (hours: number) => new Date(CREATED.getTime() + hours * HOUR);

type Page = { Shards: { ShardId: string }[]; NextToken?: string };

function list(backend: FakeKinesisBackend, body: Record<string, unknown>, now = at(1)): Promise<Page> {
  return runOperation(listShards, backend, body, { region: 'us-east-1', accountId: '123456789012', now: () => now });
}

const ids = (page: Page) => page.Shards.map((shard) => shard.ShardId.replace('shardId-00000000000', ''));


/**
 * Shards 0 and 1 were created with the stream; 0 closed at hour 10 into 2; 1 closed at
 * hour 30 into 3. Retention is 24 h.
 */
function reshardedBackend(): FakeKinesisBackend {
  const [s0, s1, s2, s3] = evenShards(4);
  const timed = (shard: Shard, createdAt: Date, closedAt?: Date) => ({
    ...shard,
    createdAt,
    ...(closedAt ? { closedAt, status: 'CLOSED' as const, endingSequenceNumber: '9' } : {}),
  });
  const backend = new FakeKinesisBackend(CREATED);
  backend.addStream('s', [
    timed(s0, CREATED, at(10)),
    timed(s1, CREATED, at(30)),
    timed({ ...s2, parentShardId: s0.shardId }, at(10)),
    timed({ ...s3, parentShardId: s1.shardId }, at(30)),
  ]);
  return backend;
}

describe('ListShards', () => {
  it('lists all shards in order with their wire shape', async () => {
    const backend = new FakeKinesisBackend(CREATED);
    backend.addStream('s', evenShards(2));
    const page = await list(backend, { StreamName: 's' });
    expect(page.Shards[1]).toEqual({
      ShardId: 'shardId-000000000001',
      HashKeyRange: {
        StartingHashKey: '170141183460469231731687303715884105728',
        EndingHashKey: '340282366920938463463374607431768211455',
      },
      SequenceNumberRange: { StartingSequenceNumber: '10000' },
    });
    expect(page.NextToken).toBeUndefined();
  });

  it('pages with MaxResults and a NextToken that carries the position', async () => {
    const backend = new FakeKinesisBackend(CREATED);
    backend.addStream('s', evenShards(5));
    const first = await list(backend, { StreamName: 's', MaxResults: 2 });
    expect(ids(first)).toEqual(['0', '1']);
    const second = await list(backend, { NextToken: first.NextToken, MaxResults: 2 });
    expect(ids(second)).toEqual(['2', '3']);
    const third = await list(backend, { NextToken: second.NextToken });
    expect(ids(third)).toEqual(['4']);
    expect(third.NextToken).toBeUndefined();
  });

  it('starts after ExclusiveStartShardId', async () => {
    const backend = new FakeKinesisBackend(CREATED);
    backend.addStream('s', evenShards(3));
    expect(ids(await list(backend, { StreamName: 's', ExclusiveStartShardId: 'shardId-000000000000' }))).toEqual(['1', '2']);
  });

  it('answers ExpiredNextTokenException 300 s after the token was issued', async () => {
    const backend = new FakeKinesisBackend(CREATED);
    backend.addStream('s', evenShards(3));
    const first = await list(backend, { StreamName: 's', MaxResults: 1 }, at(1));
    const later = new Date(at(1).getTime() + 300_001);
    expect(await failure(list(backend, { NextToken: first.NextToken }, later))).toEqual({
      type: 'ExpiredNextTokenException',
      message: 'The NextToken has expired.',
    });
    await expect(list(backend, { NextToken: first.NextToken }, new Date(at(1).getTime() + 300_000))).resolves.toBeDefined();
  });

  it('refuses a token that is not a ListShards token', async () => {
    const backend = new FakeKinesisBackend(CREATED);
    backend.addStream('s');
    const foreign = encodeNextToken('ListStreams', { after: 's' }, at(1));
    for (const token of ['garbage', foreign]) {
      expect(await failure(list(backend, { NextToken: token }))).toEqual({
        type: 'InvalidArgumentException',
        message: 'The NextToken is not valid.',
      });
    }
  });

  it('answers ResourceNotFoundException when StreamCreationTimestamp names an older stream', async () => {
    const backend = new FakeKinesisBackend(CREATED);
    backend.addStream('s');
    expect(await failure(list(backend, { StreamName: 's', StreamCreationTimestamp: CREATED.getTime() / 1000 - 60 }))).toEqual({
      type: 'ResourceNotFoundException',
      message: 'Stream s under account 123456789012 not found.',
    });
    await expect(list(backend, { StreamName: 's', StreamCreationTimestamp: CREATED.getTime() / 1000 })).resolves.toBeDefined();
  });
});

describe('ListShards ShardFilter over open and closed shards', () => {
  const filter = (Type: string, extra: Record<string, unknown> = {}) => ({ StreamName: 's', ShardFilter: { Type, ...extra } });
  const seconds = (date: Date) => date.getTime() / 1000;

  it('AT_LATEST lists the open shards', async () => {
    expect(ids(await list(reshardedBackend(), filter('AT_LATEST'), at(31)))).toEqual(['2', '3']);
  });

  it('FROM_TRIM_HORIZON (the default) drops shards closed before the trim horizon', async () => {
    // now = hour 40, retention 24 h: horizon = hour 16; shard 0 closed at 10, shard 1 at 30.
    expect(ids(await list(reshardedBackend(), { StreamName: 's' }, at(40)))).toEqual(['1', '2', '3']);
    expect(ids(await list(reshardedBackend(), filter('FROM_TRIM_HORIZON'), at(40)))).toEqual(['1', '2', '3']);
  });

  it('AT_TRIM_HORIZON lists the shards open at the trim horizon', async () => {
    expect(ids(await list(reshardedBackend(), filter('AT_TRIM_HORIZON'), at(40)))).toEqual(['1', '2']);
    // Before any shard aged out the horizon is the stream's creation.
    expect(ids(await list(reshardedBackend(), filter('AT_TRIM_HORIZON'), at(5)))).toEqual(['0', '1']);
  });

  it('AT_TIMESTAMP lists the shards open at that instant', async () => {
    const backend = reshardedBackend();
    expect(ids(await list(backend, filter('AT_TIMESTAMP', { Timestamp: seconds(at(20)) }), at(22)))).toEqual(['1', '2']);
    expect(ids(await list(backend, filter('AT_TIMESTAMP', { Timestamp: seconds(at(31)) }), at(32)))).toEqual(['2', '3']);
  });

  it('FROM_TIMESTAMP lists open shards and those closed at or after the instant', async () => {
    const backend = reshardedBackend();
    expect(ids(await list(backend, filter('FROM_TIMESTAMP', { Timestamp: seconds(at(5)) }), at(31)))).toEqual(['0', '1', '2', '3']);
    expect(ids(await list(backend, filter('FROM_TIMESTAMP', { Timestamp: seconds(at(11)) }), at(31)))).toEqual(['1', '2', '3']);
  });

  it('FROM_TIMESTAMP before the trim horizon is raised to it', async () => {
    expect(ids(await list(reshardedBackend(), filter('FROM_TIMESTAMP', { Timestamp: seconds(at(0)) }), at(40)))).toEqual(['1', '2', '3']);
  });

  it('AFTER_SHARD_ID lists the shards after the given one', async () => {
    expect(ids(await list(reshardedBackend(), filter('AFTER_SHARD_ID', { ShardId: 'shardId-000000000001' }), at(31)))).toEqual(['2', '3']);
  });

  it('keeps the filter across pages', async () => {
    const backend = reshardedBackend();
    const first = await list(backend, { ...filter('AT_LATEST'), MaxResults: 1 }, at(31));
    expect(ids(first)).toEqual(['2']);
    expect(ids(await list(backend, { NextToken: first.NextToken }, at(31)))).toEqual(['3']);
  });
});
