import { ShardlineError } from '@shardline/protocol';

/** How long to keep retrying; tests shorten the delays. */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 50, maxDelayMs: 500 };

/**
 * Runs `fn` again while it fails with a retriable ShardlineError that `safe` says did not
 * take effect (so a retry cannot write twice), with capped exponential backoff.
 */
export async function retrying<T>(
  fn: () => Promise<T>,
  safe: (err: ShardlineError) => boolean,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const again = err instanceof ShardlineError && err.retriable && safe(err) && attempt < policy.attempts;
      if (!again) throw err;
      await retryDelay(policy, attempt);
    }
  }
}

/** Waits the capped exponential backoff after failed attempt number `attempt` (from 1). */
export function retryDelay(policy: RetryPolicy, attempt: number): Promise<void> {
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return new Promise((resolve) => setTimeout(resolve, delay));
}
