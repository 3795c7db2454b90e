import { shardIdOf, shardIndexOf } from './shard-id';

describe('shard ids', () => {
  it.each([
    [0, 'shardId-000000000000'],
    [7, 'shardId-000000000007'],
    [42, 'shardId-000000000042'],
    [999_999_999_999, 'shardId-999999999999'],
  ])('names shard %i %s, as AWS does', (index, id) => {
    expect(shardIdOf(index)).toBe(id);
    expect(shardIndexOf(id)).toBe(index);
  });

  it('sorts ids in index order', () => {
    const ids = [0, 1, 9, 10, 11, 100, 1000].map(shardIdOf);
    expect([...ids].sort()).toEqual(ids);
  });

  it('accepts an id without padding or without the prefix', () => {
    expect(shardIndexOf('shardId-1')).toBe(1);
    expect(shardIndexOf('000000000005')).toBe(5);
  });

  it.each(['', 'shardId-', 'shardid-000000000001', 'shard-000000000001', 'shardId-00000000000x', 'shardId--1', ' shardId-000000000001', 'shardId-000000000001 '])(
    'answers undefined for %j',
    (text) => {
      expect(shardIndexOf(text)).toBeUndefined();
    },
  );
});
