import { randomUUID } from 'node:crypto';
import { internalFailure, unavailable } from '@shardline/protocol';
import { JS_WRONG_LAST_SEQUENCE, jetStreamErrorCode, mapNatsError, stampArrival } from '@shardline/messaging';
import type { ShardAddress, ShardStore } from '@shardline/messaging';
import { withSpan } from '@shardline/telemetry';
import type { ActorRef } from './actor-ref';
import { trace as traceApi, type Context, type Link } from '@opentelemetry/api';
import { transition, type ActorState } from './actor-state';

interface Append {
  messages: Buffer[];
  trace?: Context;
  resolve(seqs: number[]): void;
  reject(err: Error): void;
}

/**
 * Owns one open shard: the single writer of its JetStream stream. Appends queue in a
 * mailbox; each drain publishes everything queued, pipelined, each message expecting the
 * sequence before it, so the server orders and fences (a stale owner's write fails).
 */
export class ShardActor implements ActorRef {
  private state: ActorState = 'created';
  private mailbox: Append[] = [];
  private draining?: Promise<void>;
  private lastSeq = 0;
  private lastTimestamp = 0;
  private readonly incarnation = randomUUID();
  private counter = 0;

  constructor(
    private readonly store: ShardStore,
    readonly shard: ShardAddress,
    private readonly now: () => number = Date.now,
    private readonly onFenced: (actor: ShardActor) => void = () => undefined,
    /** Told the last sequence after each append round that stored something (enhanced fan-out pushes on it). */
    private readonly onAppended: (lastSeq: number) => void = () => undefined,
  ) {}

  get status(): ActorState {
    return this.state;
  }

  /** JetStream sequence of the newest message this actor knows is stored (acknowledged appends included). */
  get lastSequence(): number {
    return this.lastSeq;
  }

  async start(retentionHours: number): Promise<void> {
    this.state = transition(this.state, 'starting');
    try {
      await this.store.ensure(this.shard, retentionHours);
      this.lastSeq = (await this.store.bounds(this.shard)).lastSeq;
      this.state = transition(this.state, 'running');
    } catch (err) {
      this.state = transition(this.state, 'stopped');
      throw err;
    }
  }

  append(messages: Buffer[], trace?: Context): Promise<number[]> {
    if (this.state !== 'running') return Promise.reject(this.movingError());
    return new Promise((resolve, reject) => {
      this.mailbox.push({ messages, trace, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Stops taking appends, finishes what is queued, and stops. */
  async stop(): Promise<void> {
    if (this.state === 'running') this.state = transition(this.state, 'stopping');
    await this.draining;
    if (this.state !== 'stopped') this.state = transition(this.state, 'stopped');
  }

  private async drain(): Promise<void> {
    while (this.mailbox.length > 0) {
      const batch = this.mailbox;
      this.mailbox = [];
      if (this.state === 'fenced') batch.forEach((a) => a.reject(this.movingError()));
      else await withSpan('shard.append', { 'shardline.shard': this.shard.shardIndex }, () => this.write(batch), {
        links: linksOf(batch),
      });
    }
    this.draining = undefined;
  }

  private async write(batch: Append[]): Promise<void> {
    const timestamp = (this.lastTimestamp = Math.max(this.now(), this.lastTimestamp));
    const acks: Array<Promise<{ seq: number; duplicate: boolean }>> = [];
    let expect = this.lastSeq;
    for (const append of batch) {
      for (const message of append.messages) {
        stampArrival(message, timestamp);
        acks.push(this.store.publish(this.shard, message, expect++, `${this.incarnation}:${this.counter++}`));
      }
    }
    const results = await Promise.allSettled(acks);
    this.settle(batch, results);
    const firstFailure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const before = this.lastSeq;
    if (firstFailure) await this.recover(firstFailure.reason);
    else this.lastSeq = expect;
    if (this.lastSeq > before) this.onAppended(this.lastSeq);
  }

  private settle(batch: Append[], results: PromiseSettledResult<{ seq: number; duplicate: boolean }>[]): void {
    let i = 0;
    for (const append of batch) {
      const own = results.slice(i, (i += append.messages.length));
      const failed = own.find((r) => r.status === 'rejected' || r.value.duplicate);
      if (failed) append.reject(this.failure(failed));
      else append.resolve(own.map((r) => (r as PromiseFulfilledResult<{ seq: number }>).value.seq));
    }
  }

  /** After a failed publish: another writer means we were fenced; anything else, re-read the tail. */
  private async recover(reason: unknown): Promise<void> {
    if (jetStreamErrorCode(reason) === JS_WRONG_LAST_SEQUENCE) {
      this.state = transition(this.state, 'fenced');
      this.onFenced(this);
      return;
    }
    try {
      this.lastSeq = (await this.store.bounds(this.shard)).lastSeq;
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

  private movingError(): Error {
    return unavailable(`Shard ${this.shard.shardIndex} is moving to another owner; retry.`);
  }
}

/** One mailbox round serves several requests: its span links to each of their spans. */
function linksOf(batch: Append[]): Link[] {
  const links: Link[] = [];
  for (const append of batch) {
    const context = append.trace && traceApi.getSpanContext(append.trace);
    if (context) links.push({ context });
  }
  return links;
}
