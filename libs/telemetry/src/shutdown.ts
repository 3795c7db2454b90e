/**
 * Graceful shutdown of an app process: on SIGTERM (`docker stop`) or SIGINT the closers run
 * one after the other — stop accepting, drain what is in flight, release leases, close
 * connections, flush traces — and the process exits 0. A failed step is logged and the next
 * one still runs. A second signal while stopping gets Node's default handling (the process
 * dies at once). Not Nest's `enableShutdownHooks()`: it re-raises the signal after closing,
 * so the process dies of SIGTERM instead of exiting 0, and `beforeExit` never runs.
 */
import type { JsonLogger } from './logger';

/** One shutdown step. */
export type Closer = () => Promise<void>;

/** What `stopOnSignals` needs of the process (tests pass an EventEmitter and a fake exit). */
export interface SignalTarget {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  removeListener(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  exit(code: number): void;
}

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/** Runs the closers in order on the first SIGTERM or SIGINT, then exits 0; answers the stop's promise for tests. */
export function stopOnSignals(log: JsonLogger, closers: Closer[], target: SignalTarget = process): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = () => void stop();
    const stop = async () => {
      for (const signal of SIGNALS) target.removeListener(signal, onSignal);
      log.info('stopping: draining in-flight work', { pid: process.pid });
      for (const close of closers) await close().catch((err: unknown) => log.error('shutdown step failed', err));
      log.info('stopped', { pid: process.pid });
      resolve();
      target.exit(0);
    };
    for (const signal of SIGNALS) target.once(signal, onSignal);
  });
}
