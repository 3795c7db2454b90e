import { shardStartingSequenceNumber } from '@shardline/protocol';
import type { ShardEvent, StoredRecord } from '@shardline/protocol';
import { shardSource, type ShardSourceParts } from '../fanout/shard-source';
import { ShardSubscription } from '../fanout/shard-subscription';
import type { GroupCoordinator, LeasedShard, MemberAssignment } from './group-coordinator';
import { MemberGoneError } from './group-errors';

/** Records of one leased shard, pushed to a member. */
export interface GroupBatch {
  memberId: string;
  shardId: string;
  /** The lease's fencing epoch. */
  epoch: number;
  records: StoredRecord[];
  /** The last batch of a closed shard: once handled, the shard is checkpointed at its end and its children handed out. */
  shardEnd: boolean;
  millisBehindLatest: number;
  /** Where checkpoint() puts the shard: the batch's last record (for an empty end-of-shard batch, the position before it). */
  lastSequenceNumber: string;
  /** Aborted when the shard's delivery stops under this batch (lease moved, member stopped): its answer no longer matters. */
  signal: AbortSignal;
  /** Checkpoints the shard at this batch's last record (done after the handler returns when auto-checkpointing). */
  checkpoint(): Promise<void>;
}

/** Handles one batch; the shard's next batch waits for it (per-shard, and so per-key, order). */
export type GroupHandler = (batch: GroupBatch) => Promise<void> | void;

export interface ConsumeOptions {
  /** Rejoin under a known id; a new one otherwise. */
  memberId?: string;
  /** Checkpoint after each batch the handler finished (default true). */
  autoCheckpoint?: boolean;
  /** Most records per batch (default 1000), and data bytes (default 4 MiB; one larger record still goes alone). */
  maxRecords?: number;
  maxBytes?: number;
  /** Heartbeats come from outside (a remote member through a transport) by `beat()`, not from a timer. */
  externalHeartbeats?: boolean;
  /** A read while idle at least this often even without an append notice (default 5 s). */
  idleReadMs?: number;
  /** Failures that delivery survives: a handler that threw (the shard resumes from its checkpoint), Postgres unreachable. */
  onError?: (error: unknown, shardId?: string) => void;
}

const MAX_BYTES = 4 * 1024 * 1024;

/**
 * Pushes records of a group member's leased shards to a handler, in process (transports wrap
 * it): each shard is read from its checkpoint by a ShardSubscription woken by append notices,
 * and followed until the lease moves (learnt at the next heartbeat, or when a checkpoint is
 * refused). At a closed shard's end the member checkpoints the end, which hands out the children.
 */
export class GroupDelivery {
  private readonly sessions = new Set<GroupMemberSession>();

  constructor(
    private readonly coordinator: GroupCoordinator,
    private readonly parts: ShardSourceParts,
  ) {}

  /** Joins the group and starts delivering; the session lives until stop() (or abandon()). */
  async consume(streamName: string, groupName: string, handler: GroupHandler, options: ConsumeOptions = {}): Promise<GroupMemberSession> {
    const memberId = await this.coordinator.join(streamName, groupName, options.memberId);
    const session = new GroupMemberSession(this.coordinator, this.parts, { streamName, groupName, memberId, handler, options });
    this.sessions.add(session);
    session.start(() => this.sessions.delete(session));
    return session;
  }

  /** Stops every session of this process without leaving (on shutdown: the connections are closing). */
  closeAll(): void {
    for (const session of this.sessions) session.abandon();
  }
}

interface SessionSpec {
  streamName: string;
  groupName: string;
  memberId: string;
  handler: GroupHandler;
  options: ConsumeOptions;
}

/** One shard being delivered under one lease. */
interface ShardRun {
  lease: LeasedShard;
  stopped: boolean;
  /** Delivery ended (error, lease lost, or the shard's end). */
  ended: boolean;
  subscription?: ShardSubscription;
  /** Aborts the batch in the handler's hands when the run stops. */
  abort: AbortController;
  done: Promise<void>;
}

/** A member's delivery: heartbeats on a timer (or by `beat()` from a transport), one ShardRun per leased shard. */
export class GroupMemberSession {
  private readonly runs = new Map<number, ShardRun>();
  /** Shards this member read to their ends: never restarted from an older assignment. */
  private readonly finished = new Set<number>();
  private timer?: NodeJS.Timeout;
  private ticking: Promise<void> = Promise.resolve();
  private stopped = false;
  private onHalt: () => void = () => undefined;

  constructor(
    private readonly coordinator: GroupCoordinator,
    private readonly parts: ShardSourceParts,
    private readonly spec: SessionSpec,
  ) {}

  get memberId(): string {
    return this.spec.memberId;
  }

  /** Shard ids being delivered now. */
  get shardIds(): string[] {
    return [...this.runs.values()].filter((run) => !run.ended).map((run) => run.lease.shardId).sort();
  }

  /** @param onHalt called once the session stops or is abandoned. */
  start(onHalt: () => void = () => undefined): void {
    this.onHalt = onHalt;
    if (!this.spec.options.externalHeartbeats) this.schedule(0);
  }

  /** One heartbeat now (the remote member's, with external heartbeats): answers the member's shards. */
  beat(): Promise<MemberAssignment | undefined> {
    const beat = this.ticking.then(() => this.tick());
    this.ticking = beat.then(() => undefined);
    return beat;
  }

  /** Leaves the group cleanly: delivery ends, the shards go to the others at once. */
  async stop(): Promise<void> {
    this.halt();
    await this.ticking;
    await Promise.all([...this.runs.values()].map((run) => run.done));
    await this.coordinator.leave(this.spec.memberId);
  }

  /** Stops at once without leaving or checkpointing, as a crashed process would: the shards move after the member timeout. */
  abandon(): void {
    this.halt();
  }

  private halt(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const run of this.runs.values()) this.stopRun(run);
    this.onHalt();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().then(
        () => this.schedule(this.coordinator.settings.heartbeatMs),
        () => this.schedule(this.coordinator.settings.heartbeatMs),
      );
    }, ms);
  }

  private async tick(): Promise<MemberAssignment | undefined> {
    try {
      const assignment = await this.coordinator.heartbeat(this.spec.memberId);
      if (!this.stopped) this.reconcile(assignment);
      return assignment;
    } catch (err) {
      this.spec.options.onError?.(err);
      if (!(err instanceof MemberGoneError) || this.stopped) return; // otherwise: Postgres blip, the member lasts its timeout
      // Dropped (e.g. a long pause): everything it read may be someone else's now.
      for (const run of this.runs.values()) this.stopRun(run);
      this.runs.clear();
      await this.coordinator.join(this.spec.streamName, this.spec.groupName, this.spec.memberId).catch((e) => this.spec.options.onError?.(e));
      return undefined;
    }
  }

  /** Stops runs of shards no longer (or no longer at this epoch) leased; starts runs of new ones. */
  private reconcile(assignment: MemberAssignment): void {
    const wanted = new Map(assignment.shards.map((lease) => [lease.shardIndex, lease]));
    for (const [index, run] of this.runs) {
      const lease = wanted.get(index);
      if (lease && lease.epoch === run.lease.epoch && !run.ended) continue;
      this.stopRun(run);
      this.runs.delete(index);
    }
    for (const lease of wanted.values()) {
      if (this.runs.has(lease.shardIndex) || this.finished.has(lease.shardIndex)) continue;
      const run: ShardRun = { lease, stopped: false, ended: false, abort: new AbortController(), done: Promise.resolve() };
      run.done = this.deliver(run, assignment.streamId)
        .catch((err) => this.spec.options.onError?.(err, lease.shardId))
        .finally(() => (run.ended = true));
      this.runs.set(lease.shardIndex, run);
    }
  }

  private stopRun(run: ShardRun): void {
    run.stopped = true;
    run.subscription?.close();
    run.abort.abort();
  }

  private async deliver(run: ShardRun, streamId: string): Promise<void> {
    const { options } = this.spec;
    const stream = await this.parts.directory.byId(streamId);
    const source = shardSource(this.parts, stream, run.lease.shardIndex, options.maxRecords ?? 1000, options.maxBytes ?? MAX_BYTES);
    const subscription = new ShardSubscription(source, run.lease.start, { maxMs: Number.POSITIVE_INFINITY, keepAliveMs: options.idleReadMs ?? 5000, now: Date.now });
    run.subscription = subscription;
    if (run.stopped) return;
    let last = run.lease.checkpoint ?? shardStartingSequenceNumber(run.lease.shardIndex);
    // One read ahead: the next batch is read from JetStream while this one is with the member.
    for await (const event of readAhead(subscription)) {
      const shardEnd = event.childShards !== undefined;
      if (run.stopped) return;
      if (event.records.length === 0 && !shardEnd) continue;
      last = event.records.at(-1)?.sequenceNumber ?? last;
      await this.handle(run, event, last, shardEnd);
      if (run.stopped) return; // abandoned mid-batch: no checkpoint, as after a crash
      if (shardEnd) {
        await this.checkpoint(run, last, true);
        this.finished.add(run.lease.shardIndex);
        return;
      }
      if (options.autoCheckpoint ?? true) await this.checkpoint(run, last, false);
    }
  }

  private async handle(run: ShardRun, event: ShardEvent, last: string, shardEnd: boolean): Promise<void> {
    await this.spec.handler({
      memberId: this.spec.memberId,
      shardId: run.lease.shardId,
      epoch: run.lease.epoch,
      records: event.records,
      shardEnd,
      millisBehindLatest: event.millisBehindLatest,
      lastSequenceNumber: last,
      signal: run.abort.signal,
      checkpoint: () => this.checkpoint(run, last, false),
    });
  }

  private checkpoint(run: ShardRun, sequenceNumber: string, shardEnd: boolean): Promise<void> {
    return this.coordinator.checkpoint(this.spec.memberId, run.lease.shardId, sequenceNumber, run.lease.epoch, shardEnd);
  }
}

/**
 * Iterates `source` one element ahead: the next element is asked for as soon as the
 * current one is handed out, so producing it overlaps the consumer's work on this one.
 */
async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const result = await next;
      if (result.done) return;
      next = iterator.next();
      yield result.value;
    }
  } finally {
    // The read ahead may still be running; its result is dropped (nothing was delivered or checkpointed).
    void next.then(() => iterator.return?.(), () => undefined);
  }
}
