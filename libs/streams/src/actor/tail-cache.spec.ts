import { TailCache } from './tail-cache';

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('TailCache', () => {
  it('answers the newest messages by sequence, and nothing before them', () => {
    const cache = new TailCache({ maxBytes: 100, maxAgeMs: 1000 });
    cache.add(5, bytes(10, 5), 0);
    cache.add(6, bytes(10, 6), 0);
    expect(cache.get(5, 0)?.[0]).toBe(5);
    expect(cache.get(6, 0)?.[0]).toBe(6);
    expect(cache.get(4, 0)).toBeUndefined();
    expect(cache.get(7, 0)).toBeUndefined();
  });

  it('keeps only the newest bytes', () => {
    const cache = new TailCache({ maxBytes: 25, maxAgeMs: 1000 });
    for (let seq = 1; seq <= 5; seq++) cache.add(seq, bytes(10, seq), 0);
    expect([1, 2, 3, 4, 5].map((seq) => cache.get(seq, 0)?.[0])).toEqual([undefined, undefined, undefined, 4, 5]);
  });

  it('restarts when a sequence does not follow (the run must stay contiguous), and skips what is too big', () => {
    const cache = new TailCache({ maxBytes: 25, maxAgeMs: 1000 });
    cache.add(1, bytes(5), 0);
    cache.add(3, bytes(5, 3), 0);
    expect(cache.get(1, 0)).toBeUndefined();
    expect(cache.get(3, 0)?.[0]).toBe(3);
    cache.add(4, bytes(30), 0);
    expect(cache.get(3, 0)).toBeUndefined();
    expect(cache.get(4, 0)).toBeUndefined();
  });

  it('keeps its own copy of what it was given', () => {
    const cache = new TailCache({ maxBytes: 100, maxAgeMs: 1000 });
    const given = bytes(4, 1);
    cache.add(1, given, 0);
    given.fill(9);
    expect([...cache.get(1, 0)!]).toEqual([1, 1, 1, 1]);
  });

  it('does not serve entries older than its age limit', () => {
    const cache = new TailCache({ maxBytes: 100, maxAgeMs: 1000 });
    cache.add(1, bytes(5), 0);
    expect(cache.get(1, 1000)).toBeDefined();
    expect(cache.get(1, 1001)).toBeUndefined();
  });
});
