import { randomUUID } from 'node:crypto';
import { internalFailure, shardIdOf, unavailable } from '@shardline/protocol';
import { JS_WRONG_LAST_SEQUENCE, jetStreamErrorCode, mapNatsError, recordCount, shardRecordSubject, stampArrival } from '@shardline/messaging';
import type { ShardAddress, ShardStore } from '@shardline/messaging';
import { MAX_LINKS, traceparentOf, withSpan, type WithSpanOptions } from '@shardline/telemetry';
import type { ActorRef, AppendResult } from './actor-ref';
import { ROOT_CONTEXT, SpanKind, trace as traceApi, type Attributes, type Context, type Link } from '@opentelemetry/api';
import { transition, type ActorState } from './actor-state';
import { TailCache } from './tail-cache';
import { WriteRateMeter } from '../control/autoscale';
import type { RateLimit } from '../limits/rate-window';
import { WriteAdmission } from '../limits/write-admission';

interface Append {
  messages: Buffer[];
  trace?: Context;
  /** Set when the write limit refused some of this append's records. */
  admitted?: number;
  resolve(result: AppendResult): void;
  reject(err: Error): void;
}

/**
 * Owns one open shard: the single writer of its JetStream stream. Appends queue in a
 * mailbox; each drain publishes everything queued, pipelined, each message expecting the
 * sequence before it, so the server orders and fences (a stale owner's write fails).
 *
 * With a write limit, the actor is where it is enforced: as the shard's single writer it
 * sees every write, so the limit is exact whichever gateway the records came through. Each
 * append is admitted as a prefix of its records (a message cut short, later ones dropped);
 * on start the window is seeded from the stored last second, so a shard that moves to a
 * new owner keeps the usage its old owner admitted.
 */
export class ShardActor implements ActorRef {
  private state: ActorState = 'created';
  private mailbox: Append[] = [];
  private draining?: Promise<void>;
  private lastSeq = 0;
  private lastTimestamp = 0;
  private readonly incarnation = randomUUID();
  private counter = 0;
  private sealedSince?: number;
  /** What this shard takes per second, read by the ON_DEMAND autoscaler. */
  readonly writes = new WriteRateMeter();
  private admission?: WriteAdmission;
  /** The newest messages appended, for readers at the tip. */
  private readonly tail = new TailCache();

  constructor(
    private readonly store: ShardStore,
    readonly shard: ShardAddress,
    private readonly now: () => number = Date.now,
    private readonly onFenced: (actor: ShardActor) => void = () => undefined,
    writeLimit?: RateLimit,
    /** Told the last sequence after each append round that stored something (enhanced fan-out pushes on it). */
    private readonly onAppended: (lastSeq: number) => void = () => undefined,
  ) {
    if (writeLimit) this.admission = new WriteAdmission(writeLimit);
  }

  /**
   * Follows a change of the stream's limit (UpdateStreamMode) without a restart: a new
   * window is seeded from what the shard stored in the last second, as at start.
   */
  async setWriteLimit(limit: RateLimit | undefined): Promise<void> {
    if (limit === undefined ? this.admission === undefined : this.admission?.enforces(limit)) return;
    const admission = limit && new WriteAdmission(limit);
    if (admission) await this.seed(admission);
    this.admission = admission;
  }

  get status(): ActorState {
    return this.state;
  }

  /** The message this actor appended at `seq`, when it is among the newest (else ask JetStream). */
  recent(seq: number): Uint8Array | undefined {
    return this.tail.get(seq, this.now());
  }

  /** JetStream sequence of the newest message this actor knows is stored (acknowledged appends included). */
  get lastSequence(): number {
    return this.lastSeq;
  }

  async start(retentionHours: number): Promise<void> {
    this.state = transition(this.state, 'starting');
    try {
      this.lastSeq = (await this.store.ensure(this.shard, retentionHours)).lastSeq;
      if (this.admission) await this.seed(this.admission);
      this.state = transition(this.state, 'running');
    } catch (err) {
      this.state = transition(this.state, 'stopped');
      throw err;
    }
  }

  append(messages: Buffer[], trace?: Context): Promise<AppendResult> {
    if (this.state === 'sealed') return Promise.reject(this.closingError());
    if (this.state !== 'running') return Promise.reject(this.movingError());
    return new Promise((resolve, reject) => {
      this.mailbox.push({ messages, trace, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** When the actor was sealed, while it is. */
  get sealedAt(): number | undefined {
    return this.state === 'sealed' ? this.sealedSince : undefined;
  }

  async seal(): Promise<number> {
    if (this.state === 'running') {
      this.state = transition(this.state, 'sealed');
      this.sealedSince = this.now();
    }
    await this.draining;
    // Fenced while draining: another writer may have appended, so the sequence is not ours to close at.
    if (this.state !== 'sealed') throw this.movingError();
    return this.lastSeq;
  }

  async unseal(): Promise<void> {
    if (this.state === 'sealed') this.state = transition(this.state, 'running');
  }

  /** Stops taking appends, finishes what is queued, and stops. */
  async stop(): Promise<void> {
    if (this.state === 'running' || this.state === 'sealed') this.state = transition(this.state, 'stopping');
    await this.draining;
    if (this.state !== 'stopped') this.state = transition(this.state, 'stopped');
  }

  private async drain(): Promise<void> {
    while (this.mailbox.length > 0) {
      const batch = this.mailbox;
      this.mailbox = [];
      if (this.state === 'fenced') batch.forEach((a) => a.reject(this.movingError()));
      else await withSpan('shard.append', this.spanAttributes(batch), (_span, trace) => this.write(batch, trace), roundSpan(batch));
    }
    this.draining = undefined;
  }

  private async write(batch: Append[], trace: Context): Promise<void> {
    const timestamp = (this.lastTimestamp = Math.max(this.now(), this.lastTimestamp));
    this.admission?.admit(batch, timestamp);
    let expect = this.lastSeq;
    const results = await withSpan('jetstream.publish', this.publishAttributes(batch), () => {
      const acks: Array<Promise<{ seq: number; duplicate: boolean }>> = [];
      for (const append of batch) {
        // Each message keeps its producer's trace context, for the pipelines that read it later.
        const traceparent = traceparentOf(append.trace);
        for (const message of append.messages) {
          stampArrival(message, timestamp);
          acks.push(this.store.publish(this.shard, message, expect++, `${this.incarnation}:${this.counter++}`, traceparent));
        }
      }
      return Promise.allSettled(acks);
    }, { kind: SpanKind.PRODUCER, parent: trace });
    this.settle(batch, results);
    this.measure(batch, timestamp);
    const firstFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const before = this.lastSeq;
    if (firstFailure) {
      this.tail.clear();
      await this.recover(firstFailure.reason);
    } else {
      this.remember(batch, results, timestamp);
      this.lastSeq = expect;
    }
    if (this.lastSeq > before) this.onAppended(this.lastSeq);
  }

  /** Keeps what this round stored, at the sequences JetStream gave it, for readers at the tip. */
  private remember(batch: Append[], results: PromiseSettledResult<{ seq: number; duplicate: boolean }>[], at: number): void {
    let i = 0;
    for (const append of batch) {
      for (const message of append.messages) {
        const result = results[i++]!;
        if (result.status === 'fulfilled' && !result.value.duplicate) this.tail.add(result.value.seq, message, at);
        else this.tail.clear();
      }
    }
  }

  private settle(batch: Append[], results: PromiseSettledResult<{ seq: number; duplicate: boolean }>[]): void {
    let i = 0;
    for (const append of batch) {
      const own = results.slice(i, (i += append.messages.length));
      const failed = own.find((r) => r.status === 'rejected' || r.value.duplicate);
      if (failed) append.reject(this.failure(failed));
      else {
        const seqs = own.map((r) => (r as PromiseFulfilledResult<{ seq: number }>).value.seq);
        append.resolve(append.admitted === undefined ? { seqs } : { seqs, admitted: append.admitted });
      }
    }
  }

  /** Seeds the write window from the stored last second; arrival stamps stay monotonic across owners too. */
  private async seed(admission: WriteAdmission): Promise<void> {
    const newest = await admission.seed(this.store, this.shard, this.lastSeq, this.now());
    this.lastTimestamp = Math.max(this.lastTimestamp, newest);
  }

  /** After a failed publish: another writer means we were fenced; anything else, re-read the tail. */
  private async recover(reason: unknown): Promise<void> {
    if (jetStreamErrorCode(reason) === JS_WRONG_LAST_SEQUENCE) {
      this.state = transition(this.state, 'fenced');
      this.onFenced(this);
      return;
    }
    try {
      this.lastSeq = (await this.store.writerBounds(this.shard)).lastSeq;
    } catch {
      this.state = transition(this.state, 'fenced');
      this.onFenced(this);
    }
  }

  /** A write that another writer's sequence refused did not happen: safe to retry elsewhere. */
  private failure(result: PromiseSettledResult<{ duplicate: boolean }>): Error {
    if (result.status === 'fulfilled') return internalFailure('append was taken for a duplicate');
    if (jetStreamErrorCode(result.reason) === JS_WRONG_LAST_SEQUENCE) return this.movingError();
    return mapNatsError(result.reason, 'append');
  }

  private measure(batch: Append[], at: number): void {
    let records = 0;
    let bytes = 0;
    for (const append of batch) {
      for (const message of append.messages) {
        records += recordCount(message);
        bytes += message.length;
      }
    }
    this.writes.record(at, records, bytes);
  }

  private spanAttributes(batch: Append[]): Attributes {
    let messages = 0;
    let records = 0;
    for (const append of batch) {
      messages += append.messages.length;
      for (const message of append.messages) records += recordCount(message);
    }
    return { 'shardline.shard_id': shardIdOf(this.shard.shardIndex), 'shardline.requests': batch.length, 'shardline.messages': messages, 'shardline.records': records };
  }

  private publishAttributes(batch: Append[]): Attributes {
    let messages = 0;
    for (const append of batch) messages += append.messages.length;
    return {
      'messaging.system': 'nats',
      'messaging.operation.type': 'publish',
      'messaging.destination.name': shardRecordSubject(this.shard.streamId, this.shard.shardIndex),
      'messaging.batch.message_count': messages,
    };
  }

  /** Refused without writing: the producer re-reads the shard map and routes to the children. */
  private closingError(): Error {
    return unavailable(`Shard ${this.shard.shardIndex} is closing for a reshard; retry.`);
  }

  private movingError(): Error {
    return unavailable(`Shard ${this.shard.shardIndex} is moving to another owner; retry.`);
  }
}

/**
 * One mailbox round serves several requests: its span is a child of the first request's span
 * (so a lone put is one tree) and links to each of their spans (the first MAX_LINKS).
 */
function roundSpan(batch: Append[]): WithSpanOptions {
  const links: Link[] = [];
  for (const append of batch) {
    const context = append.trace && traceApi.getSpanContext(append.trace);
    if (context && links.length < MAX_LINKS) links.push({ context });
  }
  return { parent: batch.find((a) => a.trace)?.trace ?? ROOT_CONTEXT, links };
}
