import { createInbox, type Msg, type NatsConnection, type Subscription } from 'nats';
import { PROBLEM_BASE, ShardlineApiError } from './errors';
import { GroupMember, type GroupBatchHandler, type GroupConsumeOptions, type GroupRecordBatch } from './group-member';
import type { LeasedShardView } from './types';

/** The NATS join answer (docs/nats-api.md). */
interface NatsJoin {
  memberId: string;
  heartbeatSubject: string;
  leaveSubject: string;
  heartbeatMs: number;
  shards: LeasedShardView[];
}

/** A batch as the NATS transport sends it: base64 data, arrival in epoch ms. */
interface NatsBatch {
  shardId: string;
  epoch: number;
  shardEnd: boolean;
  millisBehindLatest: number;
  records: Array<{ sequenceNumber: string; partitionKey: string; data: string; approximateArrivalTimestamp: number }>;
}

/** The header of a binary batch (docs/nats-api.md). */
const BATCH_HEADER = 'Shardline-Batch';
/** A sequence number ends in the record's index in its stored message, 7 digits. */
const INDEX_DIGITS = 7;

/** Group errors over NATS are `{error: {type, message}}` with the AWS error type; as problems here. */
const NATS_ERROR_KINDS: Record<string, [string, number]> = {
  ResourceNotFoundException: ['resource-not-found', 404],
  ResourceInUseException: ['resource-in-use', 409],
  InvalidArgumentException: ['invalid-argument', 400],
  ValidationException: ['validation-error', 400],
};

/** A member over NATS: batches are requests to its inbox, answered once the handler resolved (the server then checkpoints). */
export class NatsGroupMember extends GroupMember {
  private readonly inbox = createInbox();
  private subscription?: Subscription;
  private joined?: NatsJoin;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly nc: NatsConnection,
    prefix: string,
    stream: string,
    group: string,
    handler: GroupBatchHandler,
    options: GroupConsumeOptions,
  ) {
    super(stream, group, handler, options);
    this.root = `${prefix}.group.${stream}.${group}`;
  }

  private readonly root: string;

  async start(): Promise<void> {
    this.subscription = this.nc.subscribe(this.inbox, { callback: (_err, msg) => this.onBatch(msg) });
    try {
      await this.join();
    } catch (err) {
      this.subscription.unsubscribe();
      throw err;
    }
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.finishInHand();
    if (this.joined) await this.request(this.joined.leaveSubject, {}).catch((err: unknown) => this.report(err));
    this.subscription?.unsubscribe();
  }

  private async join(): Promise<void> {
    this.joined = await this.request<NatsJoin>(`${this.root}.join`, {
      memberId: this.memberId,
      inbox: this.inbox,
      autoCheckpoint: true,
      // Raw record bytes with a header describing them: no base64 or JSON around the data.
      encoding: 'binary',
    });
    this.memberId = this.joined.memberId;
    this.setShards(this.joined.shards);
  }

  private schedule(): void {
    if (this.stopping || !this.joined) return;
    this.timer = setTimeout(() => void this.beat().finally(() => this.schedule()), this.joined.heartbeatMs);
  }

  /** A heartbeat; a member the server forgot (or whose gateway is gone: no responders) joins again under its id. */
  private async beat(): Promise<void> {
    try {
      this.setShards((await this.request<{ shards: LeasedShardView[] }>(this.joined!.heartbeatSubject, {})).shards);
    } catch (err) {
      if (this.stopping) return;
      this.report(err);
      const gone = (err instanceof ShardlineApiError && err.status === 404) || (err as { code?: string }).code === '503';
      if (!gone) return;
      await this.join().then(
        () => this.stats.rejoins++,
        (e: unknown) => this.report(e),
      );
    }
  }

  private onBatch(msg: Msg): void {
    if (this.stopping) return respond(msg, { error: { type: 'MemberStopping', message: 'The member is leaving' } });
    let batch: GroupRecordBatch;
    try {
      batch = this.decode(msg);
    } catch (err) {
      this.report(err);
      return respond(msg, { error: { type: 'SerializationException', message: 'The batch cannot be read' } });
    }
    this.track(batch, (ok) => respond(msg, ok ? {} : { error: { type: 'HandlerFailed', message: 'The handler threw' } }));
  }

  /** A batch in either encoding: binary (header + raw bytes, what this member asks for) or JSON with base64 data. */
  private decode(msg: Msg): GroupRecordBatch {
    const header = msg.headers?.get(BATCH_HEADER);
    if (header) {
      type Run = [prefix: string, firstIndex: number, arrival: number, keys: string[], lengths: number[]];
      const body = JSON.parse(header) as Omit<NatsBatch, 'records'> & { runs: Run[] };
      const payload = Buffer.from(msg.data.buffer, msg.data.byteOffset, msg.data.byteLength);
      let offset = 0;
      const records: GroupRecordBatch['records'] = [];
      for (const [prefix, firstIndex, arrival, keys, lengths] of body.runs) {
        const approximateArrivalTimestamp = new Date(arrival);
        for (let i = 0; i < keys.length; i++) {
          records.push({
            shardId: body.shardId,
            sequenceNumber: prefix + String(firstIndex + i).padStart(INDEX_DIGITS, '0'),
            partitionKey: keys[i],
            data: payload.subarray(offset, (offset += lengths[i])),
            approximateArrivalTimestamp,
          });
        }
      }
      if (offset !== payload.length) throw new Error(`batch lengths add up to ${offset} bytes, the payload has ${payload.length}`);
      return { memberId: this.memberId, shardId: body.shardId, epoch: body.epoch, shardEnd: body.shardEnd, millisBehindLatest: body.millisBehindLatest, records };
    }
    const body = JSON.parse(msg.string()) as NatsBatch;
    return {
      memberId: this.memberId,
      shardId: body.shardId,
      epoch: body.epoch,
      shardEnd: body.shardEnd,
      millisBehindLatest: body.millisBehindLatest,
      records: body.records.map((r) => ({
        shardId: body.shardId,
        sequenceNumber: r.sequenceNumber,
        partitionKey: r.partitionKey,
        data: Buffer.from(r.data, 'base64'),
        approximateArrivalTimestamp: new Date(r.approximateArrivalTimestamp),
      })),
    };
  }

  private async request<T>(subject: string, body: object): Promise<T> {
    const reply = await this.nc.request(subject, JSON.stringify(body), { timeout: this.options.requestTimeoutMs ?? 10_000 });
    const answer = JSON.parse(reply.string()) as T & { error?: { type: string; message: string } };
    if (answer.error) {
      const [slug, status] = NATS_ERROR_KINDS[answer.error.type] ?? ['internal-error', 500];
      throw new ShardlineApiError({ type: PROBLEM_BASE + slug, title: answer.error.type, status, detail: answer.error.message });
    }
    return answer;
  }
}

function respond(msg: Msg, body: object): void {
  try {
    msg.respond(JSON.stringify(body));
  } catch {
    // The connection is closing: the server times the batch out and delivers it again.
  }
}
