import { backoffDelay, MAX_BACKOFF_MS, retryWithBackoff } from './backoff';

describe('Firehose backoff', () => {
  it('doubles from 1 s with ±15 % jitter and caps at 2 minutes', () => {
    expect(backoffDelay(0, () => 0.5)).toBe(1000);
    expect(backoffDelay(3, () => 0.5)).toBe(8000);
    expect(backoffDelay(0, () => 0)).toBeCloseTo(850);
    expect(backoffDelay(0, () => 0.999999)).toBeCloseTo(1150);
    expect(backoffDelay(10, () => 0.5)).toBe(MAX_BACKOFF_MS);
  });

  it('stops at a final failure without waiting', async () => {
    const sleeps: number[] = [];
    const clock = { now: () => 0, random: () => 0.5, sleep: async (ms: number) => void sleeps.push(ms) };
    const outcome = retryWithBackoff(
      async () => {
        throw new Error('bad config');
      },
      (error) => ({ error: error as Error, retryable: false }),
      { durationMs: 60_000, clock, onGiveUp: (end) => new Error(`gave up after ${end.attemptsMade}, final ${end.final}`) },
    );
    await expect(outcome).rejects.toThrow('gave up after 1, final true');
    expect(sleeps).toEqual([]);
  });

  it('caps the waits and counts only them against the duration', async () => {
    const sleeps: number[] = [];
    const clock = { now: () => 0, random: () => 0.5, sleep: async (ms: number) => void sleeps.push(ms) };
    let attempts = 0;
    const value = await retryWithBackoff(
      async () => {
        attempts += 1;
        if (attempts < 10) throw new Error('down');
        return 'done';
      },
      (error) => ({ error: error as Error, retryable: true }),
      { durationMs: 7200_000, clock, onGiveUp: () => new Error('gave up') },
    );
    expect(value).toBe('done');
    expect(sleeps).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000]);
  });
});
