import type { GroupBatch, HostedMember } from '@shardline/streams';
import { assignmentView } from './member-operations';
import type { NativeServices } from './operation';
import { parse } from './operation';
import { memberParams, type GroupBatchEvent, type MemberAssignmentView } from './schemas';
import { recordView } from './views';

/** What a member's records stream yields: its shards whenever they change, batches, and heartbeats while idle. */
export type MemberEvent =
  | { kind: 'open' }
  | { kind: 'assignment'; assignment: MemberAssignmentView }
  | { kind: 'batch'; batch: GroupBatchEvent }
  | { kind: 'heartbeat' };

const IDLE_COMMENT_MS = 15_000;

export function batchEvent(batch: GroupBatch): GroupBatchEvent {
  return {
    shardId: batch.shardId,
    epoch: batch.epoch,
    shardEnd: batch.shardEnd,
    millisBehindLatest: batch.millisBehindLatest,
    lastSequenceNumber: batch.lastSequenceNumber,
    records: batch.records.map((r) => recordView(batch.shardId, r)),
  };
}

/**
 * The records connection of a REST group member (`GET …/members/{memberId}/records`): the
 * member's batches as they are delivered, one waiting batch per shard (the next follows its
 * acknowledgement, a checkpoint at its lastSequenceNumber). While it is open the gateway
 * heartbeats for the member, so `curl -N` alone keeps it in the group; the newest connection
 * of a member gets its batches, and a reconnect first gets those still unacknowledged.
 */
export class MemberFeed {
  private readonly queue: MemberEvent[] = [];
  private wake?: () => void;
  private closed = false;
  private failure?: unknown;
  private detach?: () => void;
  private beatTimer?: NodeJS.Timeout;
  private shardsSeen?: string;

  private constructor(
    private readonly services: NativeServices,
    private readonly member: HostedMember,
    private readonly idleMs: number,
  ) {}

  /** Finds the member (404 problem before any event when it is not hosted here). */
  static open(services: NativeServices, rawParams: unknown, idleMs = IDLE_COMMENT_MS): MemberFeed {
    const params = parse(memberParams, rawParams, 'path');
    return new MemberFeed(services, services.members.get(params.memberId, params.name, params.group), idleMs);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.beatTimer);
    this.detach?.();
    this.wake?.();
  }

  /** Events until close(); throws (after the events before it) when the member's session is gone. */
  async *events(): AsyncGenerator<MemberEvent> {
    yield { kind: 'open' };
    await this.beat(); // the assignment first; batches waiting since the join follow on attach
    if (this.closed) return;
    this.detach = this.member.attach((batch) => this.push({ kind: 'batch', batch: batchEvent(batch) }));
    while (!this.closed) {
      const next = this.queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (this.failure) throw this.failure;
      if (!(await this.sleep()) && !this.closed) yield { kind: 'heartbeat' };
    }
  }

  /** The member's heartbeat, on its behalf, every heartbeatMs while the connection is open. */
  private async beat(): Promise<void> {
    if (this.closed) return;
    try {
      const assignment = assignmentView(this.member.memberId, await this.services.members.heartbeat(this.member.memberId));
      const shards = JSON.stringify(assignment.shards);
      if (shards !== this.shardsSeen) this.push({ kind: 'assignment', assignment });
      this.shardsSeen = shards;
    } catch (err) {
      this.failure = err;
      this.wake?.();
      return;
    }
    if (!this.closed) this.beatTimer = setTimeout(() => void this.beat(), this.services.members.settings.heartbeatMs);
  }

  private push(event: MemberEvent): void {
    this.queue.push(event);
    this.wake?.();
  }

  /** Waits for an event (true) or the idle interval (false). */
  private sleep(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), this.idleMs);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(woken);
      };
      this.wake = () => done(true);
    });
  }
}

/** One event as Server-Sent Events text: named `assignment` and `batch` events, comments while idle. */
export function memberSseFrame(event: MemberEvent): string {
  switch (event.kind) {
    case 'open':
      return 'retry: 1000\n: connected\n\n';
    case 'assignment':
      return `event: assignment\ndata: ${JSON.stringify(event.assignment)}\n\n`;
    case 'batch':
      return `event: batch\ndata: ${JSON.stringify(event.batch)}\n\n`;
    case 'heartbeat':
      return ': heartbeat\n\n';
  }
}
