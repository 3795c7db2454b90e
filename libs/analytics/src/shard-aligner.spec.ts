import type { Row } from '@shardline/sql';
import { ShardAligner } from './shard-aligner';

describe('ShardAligner', () => {
  let now = 0;
  const out: number[] = [];
  const aligner = () => new ShardAligner((row) => out.push(row.T as number), (row) => row.T as number, () => now, { idleMs: 100, maxQueued: 3 });
  const rows = (...times: number[]): Row[] => times.map((T) => ({ T }));

  beforeEach(() => {
    now = 0;
    out.length = 0;
  });

  it('merges two shards in time order, waiting for a shard that is still reading', async () => {
    const a = aligner();
    a.add('s0');
    a.add('s1');
    await a.push('s0', 1, rows(1, 5));
    await a.push('s1', 1, rows());
    expect(out).toEqual([]); // s1 was read just now: it may still bring an earlier row
    await a.push('s1', 2, rows(2, 3));
    expect(out).toEqual([1, 2, 3]);
    expect(a.released('s0')).toBeUndefined();
    expect(a.released('s1')).toBe(2);
    now = 150; // s1 caught up: no longer waited for
    a.tick();
    expect(out).toEqual([1, 2, 3, 5]);
    expect(a.released('s0')).toBe(1);
  });

  it('holds a shard that is far ahead (backpressure) until the other catches up', async () => {
    const a = aligner();
    a.add('s0');
    a.add('s1');
    await a.push('s1', 1, rows(0));
    let pushed = false;
    const ahead = a.push('s0', 1, rows(100, 101, 102, 103, 104)).then(() => (pushed = true));
    await Promise.resolve();
    expect(out).toEqual([0]);
    expect(pushed).toBe(false);
    await a.push('s1', 2, rows(1, 2, 3));
    expect(out).toEqual([0, 1, 2, 3]);
    now = 200;
    a.tick();
    await ahead;
    expect(out).toEqual([0, 1, 2, 3, 100, 101, 102, 103, 104]);
    expect([a.released('s0'), a.released('s1')]).toEqual([1, 2]);
  });
});
