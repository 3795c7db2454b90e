/**
 * Runs one source of one delivery stream: redoes the batch that was in flight when the
 * last owner stopped, then follows the source, buffers by the hints, and delivers batches
 * one after the other. A batch is written down before delivery and committed after it, and
 * only then are its source messages released, so nothing accepted is lost and a crash
 * mid-delivery redoes exactly the same batch (same object names: no duplicates).
 */
import { ROOT_CONTEXT, SpanKind, type Link } from '@opentelemetry/api';
import type { DeliveryProgressRepository } from '@shardline/metadata';
import { spanContextOf, withSpan } from '@shardline/telemetry';
import type { DeliveryBatch, DeliveryTarget, SourceMessage } from './batch';
import { toBatch } from './batch';
import { RecordBuffer, type BufferingHints } from './buffering';
import type { RecordSource, SourceFollower } from './ordered-source';

export interface RunnerClock {
  now(): number;
}

export interface RunnerOptions {
  deliveryStreamId: string;
  hints: BufferingHints;
  clock: RunnerClock;
  /** How often the buffer's interval is checked (real time); default 100 ms. */
  tickMs?: number;
  /** Back-off between attempts of a batch whose delivery threw (it is retried until it succeeds). */
  retryDelayMs?: (attempt: number) => number;
  /** Told of every message read from the source (IncomingRecords/IncomingBytes). */
  onRead?: (message: SourceMessage) => void;
  /** Told of every delivered batch (metrics, tests). */
  onDelivered?: (batch: DeliveryBatch, elapsedMs: number) => void;
  onError?: (err: unknown, batch?: DeliveryBatch) => void;
}

const defaultRetryDelay = (attempt: number) => Math.min(30_000, 200 * 2 ** Math.min(attempt, 10));

export class DeliveryRunner {
  private buffer!: RecordBuffer;
  private follower?: SourceFollower;
  private ticker?: NodeJS.Timeout;
  /** The delivery in progress; batches go one at a time, in order. */
  private inFlight: Promise<void> = Promise.resolve();
  private stopped = false;
  private restarting = false;

  constructor(
    private readonly source: RecordSource,
    private readonly progress: DeliveryProgressRepository,
    private readonly target: DeliveryTarget,
    private readonly options: RunnerOptions,
  ) {}

  async start(): Promise<void> {
    const state = await this.progress.get(this.options.deliveryStreamId, this.source.key);
    let next = state.committedSeq + 1;
    if (state.pending) {
      const messages = await this.source.readRange(state.pending.fromSeq, state.pending.toSeq);
      await this.deliver(toBatch(this.source.key, state.pending.fromSeq, messages), false);
      next = state.pending.toSeq + 1;
    }
    if (this.stopped) return;
    this.buffer = new RecordBuffer(this.options.hints, next);
    this.followFrom(next);
    this.ticker = setInterval(() => this.tick(), this.options.tickMs ?? 100);
  }

  /** Stops following; waits for the batch in flight. What is only buffered is redone by the next owner. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    await this.follower?.stop();
    await this.inFlight.catch(() => undefined);
  }

  /** Delivers what is buffered now, whatever the hints say (tests, shutdown of a delivery stream). */
  async flushNow(): Promise<void> {
    this.flush();
    await this.inFlight;
  }

  private followFrom(seq: number): void {
    const follower = this.source.follow(seq, (message) => this.onMessage(message));
    this.follower = follower;
    follower.done.then(
      () => this.restartAfter(undefined, follower),
      (err) => this.restartAfter(err, follower),
    );
  }

  /** The follower ended by itself (consumer deleted, NATS reconnect): follow again after what is buffered. */
  private restartAfter(err: unknown, follower: SourceFollower): void {
    if (this.stopped || follower !== this.follower || this.restarting) return;
    if (err) this.options.onError?.(err);
    this.restarting = true;
    setTimeout(() => {
      this.restarting = false;
      if (this.stopped) return;
      this.followFrom(this.buffer.endSeq);
    }, 500);
  }

  private async onMessage(message: SourceMessage): Promise<void> {
    this.options.onRead?.(message);
    this.buffer.add(message, this.options.clock.now());
    if (this.buffer.bytes >= this.options.hints.sizeBytes) {
      // Back-pressure: at most one batch in flight and one filling behind it.
      await this.inFlight.catch(() => undefined);
      this.flush();
    }
  }

  private tick(): void {
    if (this.buffer.shouldFlush(this.options.clock.now())) this.flush();
  }

  private flush(): void {
    if (this.buffer.isEmpty) return;
    const { fromSeq, messages } = this.buffer.take();
    const batch = toBatch(this.source.key, fromSeq, messages);
    this.inFlight = this.inFlight.catch(() => undefined).then(() => this.deliver(batch, true));
  }

  /**
   * One span per delivered batch (retries included), a root of its own: a batch holds many
   * producers' records, so it links to their traces instead of joining one.
   */
  private deliver(batch: DeliveryBatch, record: boolean): Promise<void> {
    const attributes = {
      'shardline.delivery_stream_id': this.options.deliveryStreamId,
      'shardline.source': batch.source,
      'shardline.batch': batch.id,
      'shardline.records': batch.records.length,
      'shardline.bytes': batch.bytes,
      'shardline.traces': batch.traces.length,
    };
    const links = batch.traces.flatMap((t): Link[] => {
      const context = spanContextOf(t);
      return context ? [{ context }] : [];
    });
    return withSpan('firehose.deliver', attributes, () => this.deliverTraced(batch, record), { kind: SpanKind.CONSUMER, parent: ROOT_CONTEXT, links });
  }

  private async deliverTraced(batch: DeliveryBatch, record: boolean): Promise<void> {
    const started = Date.now();
    if (record) await this.retry(batch, () => this.progress.begin(this.options.deliveryStreamId, this.source.key, batch.fromSeq, batch.toSeq));
    await this.retry(batch, () => this.target.deliver(batch));
    await this.retry(batch, () => this.progress.commit(this.options.deliveryStreamId, this.source.key, batch.toSeq));
    this.options.onDelivered?.(batch, Date.now() - started);
    await this.source.release(batch.toSeq).catch((err) => this.options.onError?.(err, batch));
  }

  /** Retries until it works or the runner stops: accepted records are never dropped. */
  private async retry(batch: DeliveryBatch, attempt: () => Promise<void>): Promise<void> {
    for (let n = 0; ; n++) {
      try {
        return await attempt();
      } catch (err) {
        this.options.onError?.(err, batch);
        if (this.stopped) throw err;
        await new Promise((resolve) => setTimeout(resolve, (this.options.retryDelayMs ?? defaultRetryDelay)(n)));
      }
    }
  }
}
