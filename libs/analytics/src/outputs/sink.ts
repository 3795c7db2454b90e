/**
 * Where an in-application stream's rows go. A sink writes a batch of rows; an OutputQueue in
 * front of it takes rows synchronously (as the application produces them), writes them in
 * batches one at a time, and tells the checkpointer when everything taken so far is written.
 */
import { ROOT_CONTEXT, SpanKind, type Context } from '@opentelemetry/api';
import type { Row } from '@shardline/sql';
import { TraceLinks, withSpan, type ApplicationMeters } from '@shardline/telemetry';

export interface RowSink {
  /**
   * Writes the rows, retrying what is retriable; throws when they could not be written.
   * `trace`: the write's span, for sinks that store records to carry it on.
   */
  write(rows: readonly Row[], trace?: Context): Promise<void>;
  close(): Promise<void>;
}

/** Who the queue writes for: its application's meters and name, for spans and metrics. */
export interface OutputObserver {
  application: string;
  meters?: ApplicationMeters;
}

const MAX_BATCH = 500;

export class OutputQueue {
  private pending: Row[] = [];
  private writing?: Promise<void>;
  private taken = 0;
  private done = 0;
  private waiters: Array<{ upTo: number; resolve: () => void }> = [];
  /** Rows given up on (the sink threw): counted, logged by onError, not retried forever. */
  failed = 0;
  /** The input traces read since the last write: the next write's span links to them. */
  private readonly inputs = new TraceLinks();

  constructor(
    readonly name: string,
    private readonly sink: RowSink,
    private readonly onError: (err: unknown) => void,
    private readonly observer?: OutputObserver,
  ) {}

  /** An input message of this trace (W3C traceparent) was read: the rows it leads to follow from it. */
  follows(traceparent: string | undefined): void {
    this.inputs.add(traceparent);
  }

  push(row: Row): void {
    this.pending.push(row);
    this.taken++;
    if (!this.writing) this.writing = this.loop();
  }

  /** Resolves once every row pushed before this call is written (or given up on). */
  drain(): Promise<void> {
    if (this.done >= this.taken) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ upTo: this.taken, resolve }));
  }

  async close(): Promise<void> {
    await this.drain();
    await this.sink.close();
  }

  private async loop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
      try {
        await this.write(batch);
      } catch (err) {
        this.failed += batch.length;
        this.onError(err);
      }
      this.done += batch.length;
      this.waiters = this.waiters.filter((w) => (w.upTo <= this.done ? (w.resolve(), false) : true));
    }
    this.writing = undefined;
  }

  /**
   * One span per batch written, a root linked to the input traces read since the last write
   * (rows of windows and joins come from many inputs; these are the latest ones).
   */
  private async write(batch: Row[]): Promise<void> {
    const attributes = { 'shardline.application': this.observer?.application ?? '', 'shardline.output': this.name, 'shardline.rows': batch.length };
    const links = this.inputs.take();
    await withSpan('analytics.output', attributes, (_span, trace) => this.sink.write(batch, trace), { kind: SpanKind.PRODUCER, parent: ROOT_CONTEXT, links });
    this.observer?.meters?.wrote(this.name, batch.length);
  }
}

/** Retries `attempt` up to `attempts` times, waiting initialMs × 2^n between tries (tests shorten it). */
export async function withRetries<T>(attempt: () => Promise<T>, options: { attempts: number; initialMs: number; retriable?: (err: unknown) => boolean }): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (n >= options.attempts || (options.retriable && !options.retriable(err))) throw err;
      await new Promise((resolve) => setTimeout(resolve, Math.min(30_000, options.initialMs * 2 ** (n - 1))));
    }
  }
}

/** A row as JSON: numbers and strings as they are (TIMESTAMPs are epoch milliseconds). */
export function rowJson(row: Row): string {
  return JSON.stringify(row);
}
