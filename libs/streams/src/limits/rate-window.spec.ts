import { expectShardlineError } from '../../../../test/support/errors';
import { DebtBucket, SlidingWindow } from './rate-window';
import { ReadThrottle } from './read-throttle';

describe('SlidingWindow', () => {
  it('admits up to the limit within one second and frees it as entries pass the second', () => {
    const window = new SlidingWindow({ count: 100, bytes: 10_000 });
    expect(window.available(0)).toEqual({ count: 100, bytes: 10_000 });
    window.add(0, 60, 1_000);
    window.add(500, 40, 1_000);
    expect(window.available(999)).toEqual({ count: 0, bytes: 8_000 });
    // The entry at 0 leaves the window at 1000 (the window is (now - 1000, now]).
    expect(window.available(1000)).toEqual({ count: 60, bytes: 9_000 });
    expect(window.available(1500)).toEqual({ count: 100, bytes: 10_000 });
  });

  it('never admits more than the limit in any one-second span, across second boundaries', () => {
    const window = new SlidingWindow({ count: 10, bytes: 1e9 });
    const admittedAt: number[] = [];
    // One record every 10 ms for 5 s: 100/s offered against 10/s.
    for (let t = 0; t < 5000; t += 10) if (window.tryAdd(t, 1, 1)) admittedAt.push(t);
    for (let start = 0; start < 5000; start += 10) {
      expect(admittedAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(10);
    }
    expect(admittedAt).toHaveLength(50);
  });

  it('limits by bytes as well as by count', () => {
    const window = new SlidingWindow({ count: 1000, bytes: 1024 });
    expect(window.tryAdd(0, 1, 1000)).toBe(true);
    expect(window.tryAdd(1, 1, 100)).toBe(false);
    expect(window.tryAdd(2, 1, 24)).toBe(true);
    expect(window.available(3)).toEqual({ count: 998, bytes: 0 });
  });

  it('counts usage seeded from before its own start (a new owner reading the last second from storage)', () => {
    const window = new SlidingWindow({ count: 100, bytes: 1e6 });
    window.add(9_300, 70, 700);
    window.add(9_900, 30, 300);
    expect(window.available(10_000)).toEqual({ count: 0, bytes: 1e6 - 1000 });
    expect(window.available(10_300)).toEqual({ count: 70, bytes: 1e6 - 300 });
  });

  it('keeps working after many entries (the arrays are compacted)', () => {
    const window = new SlidingWindow({ count: 5, bytes: 1e9 });
    let admitted = 0;
    for (let t = 0; t < 100_000; t += 1) if (window.tryAdd(t, 1, 0)) admitted++;
    expect(admitted).toBe(500);
  });
});

describe('DebtBucket', () => {
  it('lets a call through while the balance is positive and charges after the read', () => {
    const bucket = new DebtBucket(2048);
    expect(bucket.open(0)).toBe(true);
    bucket.charge(0, 10 * 1024);
    // 10 KiB against 2 KiB/s: refused until the 8 KiB debt is paid, 4 s later.
    expect(bucket.open(1000)).toBe(false);
    expect(bucket.open(3999)).toBe(false);
    expect(bucket.open(4001)).toBe(true);
  });

  it('refills to one second of bytes at most', () => {
    const bucket = new DebtBucket(1000);
    expect(bucket.open(60_000)).toBe(true);
    bucket.charge(60_000, 1000);
    expect(bucket.open(60_000)).toBe(false);
    expect(bucket.open(60_500)).toBe(true);
    bucket.charge(60_500, 499);
    expect(bucket.open(60_500)).toBe(true);
    bucket.charge(60_500, 1);
    expect(bucket.open(60_500)).toBe(false);
  });

  it('does not refill when the clock goes backwards', () => {
    const bucket = new DebtBucket(1000);
    bucket.charge(5000, 1500);
    expect(bucket.open(4000)).toBe(false);
    expect(bucket.open(5600)).toBe(true);
  });
});

describe('ReadThrottle', () => {
  it('admits the configured calls per second per shard, then throws the throttling error', () => {
    let now = 0;
    const throttle = new ReadThrottle({ callsPerSecond: 5, bytesPerSecond: 1e9 }, () => now);
    for (let i = 0; i < 5; i++) throttle.admit('a', () => 'slow down');
    const err = expectShardlineError(() => throttle.admit('a', () => 'slow down'), 'ProvisionedThroughputExceededException');
    expect(err.message).toBe('slow down');
    expect(err.retriable).toBe(true);
    throttle.admit('b', () => 'other shard is separate');
    now = 1000;
    throttle.admit('a', () => 'a second later');
  });

  it('refuses calls while the bytes read are not paid for, without counting the refused calls', () => {
    let now = 0;
    const throttle = new ReadThrottle({ callsPerSecond: 5, bytesPerSecond: 1000 }, () => now);
    throttle.admit('a', () => 'x');
    throttle.charge('a', 3000);
    now = 1500;
    expectShardlineError(() => throttle.admit('a', () => 'x'), 'ProvisionedThroughputExceededException');
    now = 2001;
    for (let i = 0; i < 4; i++) throttle.admit('a', () => 'x');
  });
});
