import { randomUUID } from 'node:crypto';
import type { Msg, NatsConnection, Subscription } from 'nats';
import { asShardlineError } from '@shardline/protocol';
import type { StoredRecord } from '@shardline/protocol';
import { messageLimit } from '@shardline/messaging';
import type { GroupCoordinator, MemberAssignment } from './group-coordinator';
import type { GroupBatch, GroupDelivery, GroupMemberSession } from './group-delivery';
import { MemberGoneError } from './group-errors';

/** Root of the consumer-group subjects: `shardline.group.<stream>.<group>.<operation>`. */
export const GROUP_SUBJECT_PREFIX = 'shardline.group';
const QUEUE = 'shardline-groups';
/** How long a member has to answer a batch of records before its shard restarts from the checkpoint. */
const DELIVER_TIMEOUT_MS = 30_000;

/** What a member asks for on `…join`. */
interface JoinRequest {
  memberId?: string;
  /** Where batches go (requests the member answers once it handled them); default `<prefix>.<stream>.<group>.member.<id>.records`. */
  inbox?: string;
  /** Checkpoint after each answered batch (default true); otherwise the member sends `…checkpoint` requests. */
  autoCheckpoint?: boolean;
}

/** A member's subjects on the process hosting its session. */
const memberSubject = (stream: string, group: string, memberId: string, operation: string) =>
  `${GROUP_SUBJECT_PREFIX}.${stream}.${group}.member.${memberId}.${operation}`;

/** A batch on the wire: record data in base64, arrival in epoch milliseconds. */
export function batchMessage(batch: GroupBatch): object {
  return {
    shardId: batch.shardId,
    epoch: batch.epoch,
    shardEnd: batch.shardEnd,
    millisBehindLatest: batch.millisBehindLatest,
    records: batch.records.map((r: StoredRecord) => ({
      sequenceNumber: r.sequenceNumber,
      partitionKey: r.partitionKey,
      data: r.data.toString('base64'),
      approximateArrivalTimestamp: r.arrivalTimestamp.getTime(),
    })),
  };
}

const assignmentMessage = (assignment: MemberAssignment | undefined) => ({
  shards: (assignment?.shards ?? []).map(({ shardId, epoch, checkpoint }) => ({ shardId, epoch, checkpoint })),
});

/**
 * Consumer groups over NATS request/reply, a thin transport over GroupCoordinator and
 * GroupDelivery. Any gateway answers `<prefix>.<stream>.<group>.{join,checkpoint,describe}`
 * (a queue group); the one that answered `join` hosts the member's session and answers its
 * `…member.<id>.{heartbeat,leave}`. Batches are NATS requests to the member's inbox, one at a time
 * per shard: the member's reply acknowledges it. A member whose heartbeats stop for the member
 * timeout loses its session here as it loses its shards in the group.
 */
export class GroupNatsService {
  private readonly subscriptions: Subscription[] = [];
  private readonly sessions = new Map<string, { session: GroupMemberSession; subscriptions: Subscription[]; watchdog?: NodeJS.Timeout }>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly coordinator: GroupCoordinator,
    private readonly delivery: GroupDelivery,
  ) {}

  start(): void {
    const serve = (operation: string, answer: (stream: string, group: string, body: Record<string, unknown>) => Promise<unknown>) =>
      this.subscriptions.push(
        this.nc.subscribe(`${GROUP_SUBJECT_PREFIX}.*.*.${operation}`, {
          queue: QUEUE,
          callback: (_err, msg) => {
            const [, , stream, group] = msg.subject.split('.');
            void this.reply(msg, () => answer(stream!, group!, parseBody(msg)));
          },
        }),
      );
    serve('join', (stream, group, body) => this.join(stream, group, body as JoinRequest));
    serve('checkpoint', async (_stream, _group, body) => {
      const { memberId, shardId, sequenceNumber, epoch } = body as { memberId: string; shardId: string; sequenceNumber: string; epoch: number };
      await this.coordinator.checkpoint(String(memberId), String(shardId), String(sequenceNumber), Number(epoch));
      return {};
    });
    serve('describe', (stream, group) => this.coordinator.describe(stream, group));
  }

  /** Ends every hosted session without leaving (on shutdown: the members rejoin elsewhere). */
  close(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
    for (const memberId of [...this.sessions.keys()]) this.drop(memberId);
  }

  private async join(stream: string, group: string, request: JoinRequest): Promise<object> {
    const memberId = typeof request.memberId === 'string' && request.memberId ? request.memberId : randomUUID();
    const inbox = typeof request.inbox === 'string' && request.inbox ? request.inbox : memberSubject(stream, group, memberId, 'records');
    const session = await this.delivery.consume(stream, group, (batch) => this.send(inbox, batch), {
      memberId,
      autoCheckpoint: request.autoCheckpoint ?? true,
      externalHeartbeats: true,
      maxBytes: Math.floor(messageLimit(this.nc) / 2), // base64 and JSON around it stay under the payload limit
    });
    this.drop(memberId); // a rejoin to this process replaces its previous session
    const subscriptions = [
      this.nc.subscribe(memberSubject(stream, group, memberId, 'heartbeat'), {
        callback: (_err, msg) => void this.reply(msg, async () => this.heartbeat(memberId)),
      }),
      this.nc.subscribe(memberSubject(stream, group, memberId, 'leave'), {
        callback: (_err, msg) => void this.reply(msg, async () => this.leave(memberId)),
      }),
    ];
    this.sessions.set(memberId, { session, subscriptions });
    const assignment = await this.heartbeat(memberId);
    return {
      memberId,
      inbox,
      heartbeatMs: this.coordinator.settings.heartbeatMs,
      memberTtlMs: this.coordinator.settings.memberTtlMs,
      heartbeatSubject: memberSubject(stream, group, memberId, 'heartbeat'),
      leaveSubject: memberSubject(stream, group, memberId, 'leave'),
      ...assignment,
    };
  }

  private async heartbeat(memberId: string): Promise<object> {
    const hosted = this.sessions.get(memberId);
    if (!hosted) throw new MemberGoneError(memberId);
    clearTimeout(hosted.watchdog);
    hosted.watchdog = setTimeout(() => this.drop(memberId), this.coordinator.settings.memberTtlMs);
    hosted.watchdog.unref();
    return assignmentMessage(await hosted.session.beat());
  }

  private async leave(memberId: string): Promise<object> {
    const hosted = this.sessions.get(memberId);
    this.drop(memberId, false);
    await (hosted ? hosted.session.stop() : this.coordinator.leave(memberId));
    return {};
  }

  /** Forgets a hosted session; abandons it (as a crash) unless the caller stops it cleanly. */
  private drop(memberId: string, abandon = true): void {
    const hosted = this.sessions.get(memberId);
    if (!hosted) return;
    this.sessions.delete(memberId);
    clearTimeout(hosted.watchdog);
    hosted.subscriptions.forEach((subscription) => subscription.unsubscribe());
    if (abandon) hosted.session.abandon();
  }

  /** Sends a batch and waits for the member's answer (its acknowledgement). */
  private async send(inbox: string, batch: GroupBatch): Promise<void> {
    const answer = await this.nc.request(inbox, JSON.stringify(batchMessage(batch)), { timeout: DELIVER_TIMEOUT_MS });
    const body = parseBody(answer);
    if (body.error) throw new Error(`member refused the batch: ${JSON.stringify(body.error)}`);
  }

  private async reply(msg: Msg, answer: () => Promise<unknown>): Promise<void> {
    try {
      msg.respond(JSON.stringify(await answer()));
    } catch (err) {
      const error = asShardlineError(err);
      msg.respond(JSON.stringify({ error: { type: error.type, message: error.message } }));
    }
  }
}

function parseBody(msg: Msg): Record<string, unknown> {
  if (msg.data.length === 0) return {};
  try {
    const body: unknown = JSON.parse(msg.string());
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
