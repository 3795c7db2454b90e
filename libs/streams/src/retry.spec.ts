import { ShardlineError, invalidArgument, unavailable } from '@shardline/protocol';
import { retrying, type RetryPolicy } from './retry';

const FAST: RetryPolicy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 };
const always = () => true;

/** A function that fails with the given errors, one per call, then answers 'done'. */
function failing(...errors: unknown[]) {
  return jest.fn(async () => {
    const next = errors.shift();
    if (next !== undefined) throw next;
    return 'done';
  });
}

describe('retrying', () => {
  it('answers at once when the first call succeeds', async () => {
    const fn = failing();
    await expect(retrying(fn, always, FAST)).resolves.toBe('done');
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('retries retriable errors until a call succeeds', async () => {
    const fn = failing(unavailable('moving'), unavailable('moving'));
    await expect(retrying(fn, always, FAST)).resolves.toBe('done');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('gives up after the policy’s attempts, with the last error', async () => {
    const last = unavailable('still moving');
    const fn = failing(unavailable('1'), unavailable('2'), unavailable('3'), last, unavailable('5'));
    await expect(retrying(fn, always, FAST)).rejects.toBe(last);
    expect(fn).toHaveBeenCalledTimes(FAST.attempts);
  });

  it('does not retry an error that is not retriable', async () => {
    const err = invalidArgument('bad');
    const fn = failing(err);
    await expect(retrying(fn, always, FAST)).rejects.toBe(err);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not retry a retriable error that `safe` refuses (it may have taken effect)', async () => {
    const timeout = new ShardlineError('InternalFailure', 'timeout', { retriable: true });
    const fn = failing(timeout);
    const safe = jest.fn((e: ShardlineError) => e.type === 'ServiceUnavailable');
    await expect(retrying(fn, safe, FAST)).rejects.toBe(timeout);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(safe).toHaveBeenCalledWith(timeout);
  });

  it('does not retry an error that is not a ShardlineError', async () => {
    const err = new Error('boom');
    const fn = failing(err);
    await expect(retrying(fn, always, FAST)).rejects.toBe(err);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not retry a type that is retriable by default when the error says it is not', async () => {
    const err = new ShardlineError('ServiceUnavailable', 'no', { retriable: false });
    const fn = failing(err);
    await expect(retrying(fn, always, FAST)).rejects.toBe(err);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('backs off exponentially, capped at maxDelayMs', async () => {
    jest.useFakeTimers();
    try {
      const fn = failing(unavailable('1'), unavailable('2'), unavailable('3'), unavailable('4'));
      const policy: RetryPolicy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 300 };
      const done = retrying(fn, always, policy);
      const callsAfter = async (ms: number) => {
        await jest.advanceTimersByTimeAsync(ms);
        return fn.mock.calls.length;
      };
      expect(await callsAfter(0)).toBe(1);
      expect(await callsAfter(99)).toBe(1);
      expect(await callsAfter(1)).toBe(2); // 100 ms
      expect(await callsAfter(199)).toBe(2);
      expect(await callsAfter(1)).toBe(3); // 200 ms
      expect(await callsAfter(299)).toBe(3);
      expect(await callsAfter(1)).toBe(4); // 400 ms, capped to 300
      expect(await callsAfter(300)).toBe(5); // capped to 300
      await expect(done).resolves.toBe('done');
    } finally {
      jest.useRealTimers();
    }
  });
});
