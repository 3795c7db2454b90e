/**
 * Firehose's retry schedule for a destination, from the HTTP endpoint delivery spec
 * (https://docs.aws.amazon.com/firehose/latest/dev/httpdeliveryrequestresponse.html,
 * "Error Response Handling"): the n-th retry waits initial × 2^n with ±15 % jitter,
 * initial 1 s, capped at 2 minutes. The retry duration (RetryOptions.DurationInSeconds)
 * "starts after the initial attempt ... fails" and "doesn't include the periods during
 * which Firehose waits for acknowledgment" (API reference, HttpEndpointRetryOptions): so
 * it counts the waits between attempts, and no wait is started that would overrun it.
 *
 * Time is injected (`DeliveryClock`) so tests run the schedule without waiting.
 */

export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 120_000;
export const BACKOFF_JITTER = 0.15;

/** Time for a retry loop: the wall clock, a sleep and a random source; tests pass fakes. */
export interface DeliveryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1), for the jitter. */
  random(): number;
}

/** The real clock. */
export const systemClock: DeliveryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** The wait before retry `retry` (0 for the first retry): min(2 min, 1 s × 2^n × random(0.85, 1.15)). */
export function backoffDelay(retry: number, random: () => number = Math.random): number {
  const jitter = 1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random();
  return Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** retry * jitter);
}

/** What a failed attempt tells the loop. */
export interface AttemptFailure {
  error: Error;
  /** False ends the loop at once (HTTP 413, a bad configuration). */
  retryable: boolean;
}

/** How a retry loop ended without success. */
export interface RetriesExhausted {
  lastError: Error;
  attemptsMade: number;
  /** True when the failure was final (not retryable), false when the duration ran out. */
  final: boolean;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retry duration is spent.
 * Resolves with the attempt's value, or rejects with what `onGiveUp` makes of the end.
 */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  classify: (error: unknown) => AttemptFailure,
  options: { durationMs: number; clock: DeliveryClock; onGiveUp: (end: RetriesExhausted) => Error },
): Promise<T> {
  const { durationMs, clock, onGiveUp } = options;
  let waited = 0;
  for (let attemptsMade = 0; ; ) {
    try {
      return await attempt(attemptsMade + 1);
    } catch (error) {
      attemptsMade += 1;
      const failure = classify(error);
      if (!failure.retryable) throw onGiveUp({ lastError: failure.error, attemptsMade, final: true });
      const delay = backoffDelay(attemptsMade - 1, clock.random);
      if (waited + delay > durationMs) throw onGiveUp({ lastError: failure.error, attemptsMade, final: false });
      waited += delay;
      await clock.sleep(delay);
    }
  }
}
