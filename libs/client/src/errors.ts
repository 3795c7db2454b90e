import type { Problem } from './types';

/** Base of every problem `type` URI; the slug after it is stable. */
export const PROBLEM_BASE = 'https://shardline.dev/problems/';

/** A failure answered by Shardline (REST or NATS), carrying its problem document. */
export class ShardlineApiError extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.title}: ${problem.detail}`);
    this.name = 'ShardlineApiError';
  }

  get status(): number {
    return this.problem.status;
  }

  /** The problem's slug, e.g. `resource-not-found`. */
  get kind(): string {
    return this.problem.type.startsWith(PROBLEM_BASE) ? this.problem.type.slice(PROBLEM_BASE.length) : this.problem.type;
  }

  /** Throttling and transient server trouble: the same request may succeed later. */
  get retriable(): boolean {
    return ['throughput-exceeded', 'internal-error', 'service-unavailable'].includes(this.kind);
  }
}

/** A problem from an answer that may not be one (a proxy's HTML page, say). */
export function problemFrom(body: unknown, status: number, fallback: string): Problem {
  if (typeof body === 'object' && body !== null && 'type' in body && 'detail' in body) return body as Problem;
  return { type: 'about:blank', title: `HTTP ${status}`, status, detail: fallback };
}

/** A record the producer gave up on: its last per-record error, or the request's. */
export class PutRecordError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly attempts: number,
  ) {
    super(`${code}: ${message} (after ${attempts} attempts)`);
    this.name = 'PutRecordError';
  }
}
