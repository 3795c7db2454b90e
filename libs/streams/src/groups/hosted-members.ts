import { randomUUID } from 'node:crypto';
import type { GroupCoordinator, MemberAssignment } from './group-coordinator';
import type { GroupBatch, GroupDelivery, GroupMemberSession } from './group-delivery';
import { MemberGoneError } from './group-errors';

/** How long a remote member has to acknowledge a batch before its shard restarts from the checkpoint. */
export const ACK_TIMEOUT_MS = 30_000;

/** Sends one batch to a remote member; the transport calls `ack` when the member acknowledged it, `fail` when it refused. */
export type BatchSink = (batch: GroupBatch, ack: () => void, fail: (error: Error) => void) => void;

/** What a remote member asks for when it joins through a transport. */
export interface HostedJoin {
  memberId?: string;
  /** Checkpoint after each acknowledged batch (NATS' default); false when the member checkpoints itself (REST). */
  autoCheckpoint: boolean;
  /** Data bytes per batch (a transport's message limit). */
  maxBytes?: number;
  /** Called once when the member's session here ends (left, timed out, replaced, or the process closes). */
  onDrop?: () => void;
}

interface Pending {
  batch: GroupBatch;
  resolve(): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
  onAbort(): void;
}

/**
 * A remote member's session on the process that served its join: the session's handler holds
 * each batch here until the member acknowledges it, one batch per shard at a time. Batches
 * reach the member through the sink its transport attached (NATS requests, an SSE connection);
 * a sink attached later (a reconnect) first gets the batches still waiting.
 */
export class HostedMember {
  private readonly pending = new Map<string, Pending>();
  private sink?: BatchSink;
  watchdog?: NodeJS.Timeout;
  session!: GroupMemberSession;

  constructor(
    readonly memberId: string,
    readonly streamName: string,
    readonly groupName: string,
    private readonly ackTimeoutMs: number,
    readonly onDrop: () => void,
  ) {}

  /** The session's handler: resolves once the member acknowledged the batch, rejects (shard restarts) on refusal or timeout. */
  deliver(batch: GroupBatch): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => this.settle(batch, new Error(`Batch of ${batch.shardId} not acknowledged within ${this.ackTimeoutMs} ms`)), this.ackTimeoutMs);
      const onAbort = () => this.settle(batch, new Error(`Delivery of ${batch.shardId} stopped`));
      this.pending.set(batch.shardId, { batch, resolve, reject, timer, onAbort });
      batch.signal.addEventListener('abort', onAbort, { once: true });
      this.send(batch);
    });
  }

  /** Batches go through `sink` from now on, first those still waiting; answers a function that detaches it. */
  attach(sink: BatchSink): () => void {
    this.sink = sink;
    for (const { batch } of this.pending.values()) this.send(batch);
    return () => {
      if (this.sink === sink) this.sink = undefined;
    };
  }

  /**
   * Acknowledges the shard's waiting batch at `epoch` once `sequenceNumber` reaches its last
   * record; answers whether a batch was acknowledged. An earlier position leaves it waiting.
   */
  acknowledge(shardId: string, epoch: number, sequenceNumber: string): boolean {
    const waiting = this.pending.get(shardId);
    if (!waiting || waiting.batch.epoch !== epoch || compareSequence(sequenceNumber, waiting.batch.lastSequenceNumber) < 0) return false;
    this.settle(waiting.batch);
    return true;
  }

  /** Fails every waiting batch (the member left or its session ended). */
  failAll(reason: string): void {
    for (const { batch } of [...this.pending.values()]) this.settle(batch, new Error(reason));
  }

  private send(batch: GroupBatch): void {
    const sink = this.sink;
    if (!sink) return; // sent when a sink attaches (or failed by the timeout)
    sink(
      batch,
      () => this.settle(batch),
      (error) => this.settle(batch, error),
    );
  }

  /** Resolves (no error) or rejects the batch if it is still the one waiting for its shard. */
  private settle(batch: GroupBatch, error?: Error): void {
    const waiting = this.pending.get(batch.shardId);
    if (waiting?.batch !== batch) return;
    this.pending.delete(batch.shardId);
    clearTimeout(waiting.timer);
    batch.signal.removeEventListener('abort', waiting.onAbort); // one signal serves all of a run's batches
    if (error) waiting.reject(error);
    else waiting.resolve();
  }
}

/** Sequence numbers are decimal strings; fixed width in practice, but a shorter one is a smaller number. */
function compareSequence(a: string, b: string): number {
  return a.length === b.length ? a.localeCompare(b) : a.length - b.length;
}

/**
 * The sessions of members that joined through a transport (NATS or REST) and live on this
 * process: one registry for both, so joining, heartbeats with their watchdog, leaving and
 * acknowledgements work the same way. A member whose heartbeats stop for the member timeout
 * loses its session here as it loses its shards in the group; a request for a member not
 * hosted here answers MemberGoneError (ResourceNotFoundException).
 */
export class HostedMembers {
  private readonly members = new Map<string, HostedMember>();

  constructor(
    private readonly coordinator: GroupCoordinator,
    private readonly delivery: GroupDelivery,
    private readonly ackTimeoutMs = ACK_TIMEOUT_MS,
  ) {}

  get settings() {
    return this.coordinator.settings;
  }

  /** Joins the group and hosts the member's session here; a rejoin under the same id replaces its previous session. */
  async join(streamName: string, groupName: string, request: HostedJoin): Promise<{ member: HostedMember; assignment: MemberAssignment | undefined }> {
    const memberId = request.memberId ?? randomUUID();
    const member = new HostedMember(memberId, streamName, groupName, this.ackTimeoutMs, request.onDrop ?? (() => undefined));
    member.session = await this.delivery.consume(streamName, groupName, (batch) => member.deliver(batch), {
      memberId,
      autoCheckpoint: request.autoCheckpoint,
      externalHeartbeats: true,
      ...(request.maxBytes ? { maxBytes: request.maxBytes } : {}),
    });
    this.drop(memberId); // a rejoin to this process replaces its previous session
    this.members.set(memberId, member);
    return { member, assignment: await this.heartbeat(member.memberId) };
  }

  /** The hosted member; MemberGoneError when it is not hosted here (or not in this stream and group). */
  get(memberId: string, streamName?: string, groupName?: string): HostedMember {
    const member = this.members.get(memberId);
    if (!member || (streamName !== undefined && member.streamName !== streamName) || (groupName !== undefined && member.groupName !== groupName)) {
      throw new MemberGoneError(memberId);
    }
    return member;
  }

  /** The member's heartbeat: answers its shards, and restarts its watchdog. */
  async heartbeat(memberId: string): Promise<MemberAssignment | undefined> {
    const member = this.get(memberId);
    clearTimeout(member.watchdog);
    member.watchdog = setTimeout(() => this.drop(memberId), this.coordinator.settings.memberTtlMs);
    member.watchdog.unref();
    return member.session.beat();
  }

  /** Leaves the group cleanly (its shards go to the others at once); a member not hosted here leaves through the coordinator. */
  async leave(memberId: string): Promise<void> {
    const member = this.members.get(memberId);
    if (!member) return this.coordinator.leave(memberId);
    this.drop(memberId, false);
    member.failAll('The member left');
    await member.session.stop();
  }

  /** Forgets a hosted session; abandons it (as a crash would) unless the caller stops it cleanly. */
  drop(memberId: string, abandon = true): void {
    const member = this.members.get(memberId);
    if (!member) return;
    this.members.delete(memberId);
    clearTimeout(member.watchdog);
    if (abandon) {
      member.session.abandon();
      member.failAll('The member session ended');
    }
    member.onDrop();
  }

  /** Ends every hosted session without leaving (on shutdown: the members join again elsewhere). */
  closeAll(): void {
    for (const memberId of [...this.members.keys()]) this.drop(memberId);
  }
}
