import { randomUUID } from 'node:crypto';
import { headers, type Msg, type NatsConnection, type Subscription } from 'nats';
import { asShardlineError } from '@shardline/protocol';
import type { StoredRecord } from '@shardline/protocol';
import { messageLimit } from '@shardline/messaging';
import type { GroupCoordinator, MemberAssignment } from './group-coordinator';
import type { GroupBatch } from './group-delivery';
import { ACK_TIMEOUT_MS, type HostedMembers } from './hosted-members';

/** Root of the consumer-group subjects under the API prefix: `<prefix>.group.<stream>.<group>.<operation>` (`shardline.group` by default). */
export const groupSubjectPrefix = (apiPrefix: string) => `${apiPrefix}.group`;
/** The default root: `shardline.group`. */
export const GROUP_SUBJECT_PREFIX = groupSubjectPrefix('shardline');
const QUEUE = 'shardline-groups';

/** What a member asks for on `…join`. */
interface JoinRequest {
  memberId?: string;
  /** Where batches go (requests the member answers once it handled them); default `<prefix>.<stream>.<group>.member.<id>.records`. */
  inbox?: string;
  /** Checkpoint after each answered batch (default true); otherwise the member sends `…checkpoint` requests. */
  autoCheckpoint?: boolean;
  /** `binary`: batches as raw record bytes with a `Shardline-Batch` header (no base64, no JSON around the data). */
  encoding?: 'json' | 'binary';
}

/**
 * The header of a binary batch: the batch's fields and its records in *runs* — consecutive
 * records of one stored message share their sequence number but for the last 7 digits, and
 * their arrival time: `[prefix, first index, arrival ms, [partition keys], [data lengths]]`.
 * A record's sequence number is `prefix + index` (7 digits, zero-padded).
 */
export const BATCH_HEADER = 'Shardline-Batch';

/** Digits of a sequence number's index within its message (libs/protocol sequence-number.ts). */
const INDEX_DIGITS = 7;

type Run = [prefix: string, firstIndex: number, arrival: number, keys: string[], lengths: number[]];

/** A batch in the binary encoding: the data of every record back to back, described by the header. */
export function binaryBatch(batch: GroupBatch): { payload: Buffer; header: string } {
  const runs: Run[] = [];
  let run: Run | undefined;
  for (const r of batch.records as StoredRecord[]) {
    const cut = r.sequenceNumber.length - INDEX_DIGITS;
    const prefix = r.sequenceNumber.slice(0, cut);
    const index = Number(r.sequenceNumber.slice(cut));
    const arrival = r.arrivalTimestamp.getTime();
    if (!run || run[0] !== prefix || run[2] !== arrival || run[1] + run[3].length !== index) {
      run = [prefix, index, arrival, [], []];
      runs.push(run);
    }
    run[3].push(r.partitionKey);
    run[4].push(r.data.length);
  }
  return {
    payload: Buffer.concat(batch.records.map((r: StoredRecord) => r.data)),
    header: JSON.stringify({ shardId: batch.shardId, epoch: batch.epoch, shardEnd: batch.shardEnd, millisBehindLatest: batch.millisBehindLatest, runs }),
  };
}

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
 * Consumer groups over NATS request/reply, a thin transport over GroupCoordinator and the
 * HostedMembers registry. Any gateway answers `<root>.<stream>.<group>.{join,checkpoint,describe}`
 * (a queue group); the one that answered `join` hosts the member's session and answers its
 * `…member.<id>.{heartbeat,leave}`. Batches are NATS requests to the member's inbox, one at a time
 * per shard: the member's reply acknowledges it. A member whose heartbeats stop for the member
 * timeout loses its session here as it loses its shards in the group.
 */
export class GroupNatsService {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly coordinator: GroupCoordinator,
    private readonly members: HostedMembers,
    /** Subject root, `shardline.group` unless the API prefix is configured. */
    private readonly root = GROUP_SUBJECT_PREFIX,
  ) {}

  start(): void {
    const serve = (operation: string, answer: (stream: string, group: string, body: Record<string, unknown>) => Promise<unknown>) =>
      this.subscriptions.push(
        this.nc.subscribe(`${this.root}.*.*.${operation}`, {
          queue: QUEUE,
          callback: (_err, msg) => {
            const [stream, group] = msg.subject.slice(this.root.length + 1).split('.');
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

  /** Stops serving; the hosted sessions end with the registry (Platform.close). */
  close(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private async join(stream: string, group: string, request: JoinRequest): Promise<object> {
    const memberId = typeof request.memberId === 'string' && request.memberId ? request.memberId : randomUUID();
    const inbox = typeof request.inbox === 'string' && request.inbox ? request.inbox : this.memberSubject(stream, group, memberId, 'records');
    const subscriptions: Subscription[] = [];
    const { member, assignment } = await this.members.join(stream, group, {
      memberId,
      autoCheckpoint: request.autoCheckpoint ?? true,
      // JSON: base64 and JSON around the data stay under the payload limit; binary: the header's ~60 bytes a record (1,000 at most) do.
      maxBytes: Math.floor(messageLimit(this.nc) * (request.encoding === 'binary' ? 0.75 : 0.5)),
      onDrop: () => subscriptions.forEach((subscription) => subscription.unsubscribe()),
    });
    subscriptions.push(
      this.nc.subscribe(this.memberSubject(stream, group, memberId, 'heartbeat'), {
        callback: (_err, msg) => void this.reply(msg, async () => assignmentMessage(await this.members.heartbeat(memberId))),
      }),
      this.nc.subscribe(this.memberSubject(stream, group, memberId, 'leave'), {
        callback: (_err, msg) => void this.reply(msg, async () => (await this.members.leave(memberId), {})),
      }),
    );
    const binary = request.encoding === 'binary';
    member.attach((batch, ack, fail) => void this.send(inbox, batch, binary).then(ack, fail));
    return {
      memberId,
      inbox,
      heartbeatMs: this.coordinator.settings.heartbeatMs,
      memberTtlMs: this.coordinator.settings.memberTtlMs,
      heartbeatSubject: this.memberSubject(stream, group, memberId, 'heartbeat'),
      leaveSubject: this.memberSubject(stream, group, memberId, 'leave'),
      ...assignmentMessage(assignment),
    };
  }

  /** A member's subjects on the process hosting its session. */
  private memberSubject(stream: string, group: string, memberId: string, operation: string): string {
    return `${this.root}.${stream}.${group}.member.${memberId}.${operation}`;
  }

  /** Sends a batch and waits for the member's answer (its acknowledgement). */
  private async send(inbox: string, batch: GroupBatch, binary: boolean): Promise<void> {
    let answer: Msg;
    if (binary) {
      const { payload, header } = binaryBatch(batch);
      const h = headers();
      h.set(BATCH_HEADER, header);
      answer = await this.nc.request(inbox, payload, { timeout: ACK_TIMEOUT_MS, headers: h });
    } else {
      answer = await this.nc.request(inbox, JSON.stringify(batchMessage(batch)), { timeout: ACK_TIMEOUT_MS });
    }
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
