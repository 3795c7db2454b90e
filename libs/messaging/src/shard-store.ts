import {
  DiscardPolicy,
  ErrorCode,
  NatsError,
  RetentionPolicy,
  StorageType,
  headers,
  nanos,
  type JetStreamManager,
  type NatsConnection,
  type StreamInfo,
} from 'nats';
import { JS_STREAM_NOT_FOUND, JetStreamApiError, jetStreamErrorCode, mapNatsError } from './jetstream-errors';
import { RequestMux } from './request-mux';
import { TRACEPARENT_HEADER, shardRecordSubject, shardStreamName } from './subjects';

/** Names one shard's storage. */
export interface ShardAddress {
  streamId: string;
  shardIndex: number;
}

/** First and last JetStream sequence held (first > last when empty). */
export interface ShardBounds {
  firstSeq: number;
  lastSeq: number;
}

/** A stored message read back by sequence. */
export interface ShardMessage {
  seq: number;
  payload: Uint8Array;
}

const HOUR_NS = 3600 * 1e9;

/**
 * How long a publish or direct get waits for JetStream (about nats.js's own 5 s default, the
 * mux sweeping once a second). An ack takes milliseconds; one that is lost (the stream's
 * leader died with the publish in flight) must not hold the actor's mailbox for long, since
 * every append queued behind it waits too.
 */
const JETSTREAM_REQUEST_TIMEOUT_MS = 4_000;

/**
 * Stream info for an actor's start is asked often and briefly. A replicated stream whose
 * leader's node died does not answer at all until its peers elect a new leader (4-9 s on
 * NATS 2.9), so one request with nats.js's 5 s timeout could notice the new leader up to 5 s
 * late; asking again every INFO_ATTEMPT_MS notices it within that, for up to INFO_PATIENCE_MS.
 */
const INFO_ATTEMPT_MS = 750;
const INFO_PATIENCE_MS = 15_000;

/**
 * The JetStream adapter of a shard: one file-backed JetStream stream per shard, whose
 * sequence is the record position. Reads use direct get by sequence (stateless, no
 * consumer per call, and every sequence is checked, so nothing is skipped silently).
 */
export class ShardStore {
  private constructor(
    private readonly jsm: JetStreamManager,
    private readonly quickJsm: JetStreamManager,
    private readonly mux: RequestMux,
    private readonly replicas: number,
  ) {}

  static async open(nc: NatsConnection, replicas = 1): Promise<ShardStore> {
    const [jsm, quickJsm] = await Promise.all([nc.jetstreamManager(), nc.jetstreamManager({ timeout: INFO_ATTEMPT_MS, checkAPI: false })]);
    return new ShardStore(jsm, quickJsm, new RequestMux(nc, JETSTREAM_REQUEST_TIMEOUT_MS), replicas);
  }

  close(): void {
    this.mux.close();
  }

  /** Creates the shard's JetStream stream if missing (idempotent), and answers its bounds. */
  async ensure(shard: ShardAddress, retentionHours: number): Promise<ShardBounds> {
    const name = shardStreamName(shard.streamId, shard.shardIndex);
    const config = {
      name,
      subjects: [shardRecordSubject(shard.streamId, shard.shardIndex)],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_age: retentionHours * HOUR_NS,
      num_replicas: this.replicas,
      allow_direct: true,
      duplicate_window: nanos(120_000),
    };
    try {
      return boundsOf(await this.patientInfo(name));
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_STREAM_NOT_FOUND) throw mapNatsError(err, 'stream info');
      try {
        return boundsOf(await this.jsm.streams.add(config));
      } catch (addErr) {
        // A concurrent ensure may have created it: that is success.
        return boundsOf(await this.jsm.streams.info(name).catch(() => Promise.reject(mapNatsError(addErr, 'create shard'))));
      }
    }
  }

  /** Stream info, asked again while it times out (a stream electing a leader), for INFO_PATIENCE_MS at most. */
  private async patientInfo(name: string): Promise<StreamInfo> {
    const giveUpAt = Date.now() + INFO_PATIENCE_MS;
    for (;;) {
      try {
        return await this.quickJsm.streams.info(name);
      } catch (err) {
        const timedOut = err instanceof NatsError && err.code === ErrorCode.Timeout;
        if (!timedOut || Date.now() >= giveUpAt) throw err;
      }
    }
  }

  async setRetention(shard: ShardAddress, retentionHours: number): Promise<void> {
    const name = shardStreamName(shard.streamId, shard.shardIndex);
    try {
      const info = await this.jsm.streams.info(name);
      await this.jsm.streams.update(name, { ...info.config, max_age: retentionHours * HOUR_NS });
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_STREAM_NOT_FOUND) throw mapNatsError(err, 'update retention');
    }
  }

  async remove(shard: ShardAddress): Promise<void> {
    try {
      await this.jsm.streams.delete(shardStreamName(shard.streamId, shard.shardIndex));
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_STREAM_NOT_FOUND) throw mapNatsError(err, 'delete shard');
    }
  }

  /** The bounds as a writer needs them after a failed publish: waiting out a leader election rather than failing at once. */
  async writerBounds(shard: ShardAddress): Promise<ShardBounds> {
    try {
      return boundsOf(await this.patientInfo(shardStreamName(shard.streamId, shard.shardIndex)));
    } catch (err) {
      throw mapNatsError(err, 'shard bounds');
    }
  }

  async bounds(shard: ShardAddress): Promise<ShardBounds> {
    try {
      return boundsOf(await this.jsm.streams.info(shardStreamName(shard.streamId, shard.shardIndex)));
    } catch (err) {
      throw mapNatsError(err, 'shard bounds');
    }
  }

  /**
   * Publishes one message that must land right after `expectLastSeq` (fencing: a stale
   * owner's write fails with JetStream error 10071). The message id makes a retried publish
   * land once. `traceparent` (W3C) is stored with the message: the producer's trace, which
   * readers such as Firehose link their spans to.
   */
  async publish(shard: ShardAddress, payload: Uint8Array, expectLastSeq: number, msgId: string, traceparent?: string): Promise<PublishAck> {
    const h = headers();
    h.set('Nats-Msg-Id', msgId);
    h.set('Nats-Expected-Last-Sequence', String(expectLastSeq));
    if (traceparent) h.set(TRACEPARENT_HEADER, traceparent);
    const reply = await this.mux.request(shardRecordSubject(shard.streamId, shard.shardIndex), payload, h);
    const ack = JSON.parse(reply.string()) as { seq?: number; duplicate?: boolean; error?: { err_code: number; description: string } };
    if (ack.error) throw new JetStreamApiError(ack.error.err_code, ack.error.description);
    return { seq: ack.seq!, duplicate: ack.duplicate === true };
  }

  /**
   * Reads the first message at or after `seq` (direct get, next by subject): past records
   * trimmed by retention it answers the oldest one left; undefined means `seq` is past the
   * newest, the tip.
   */
  async get(shard: ShardAddress, seq: number): Promise<ShardMessage | undefined> {
    const subject = `$JS.API.DIRECT.GET.${shardStreamName(shard.streamId, shard.shardIndex)}`;
    const query = JSON.stringify({ seq, next_by_subj: shardRecordSubject(shard.streamId, shard.shardIndex) });
    const reply = await this.mux.request(subject, query).catch((err) => Promise.reject(mapNatsError(err, 'read shard')));
    const code = reply.headers?.code ?? 0;
    if (code === 404 || code === 408) return undefined;
    if (code >= 400) throw mapNatsError(new Error(`direct get ${seq}: ${code} ${reply.headers?.description ?? ''}`), 'read shard');
    return { seq: Number(reply.headers?.get('Nats-Sequence') ?? seq), payload: reply.data };
  }

  /**
   * Reads up to `count` consecutive messages, starting with the first at or after
   * `fromSeq`, `window` requests in flight. It stops at the tip and at any gap, so what it
   * answers is always contiguous.
   */
  async getRange(shard: ShardAddress, fromSeq: number, count: number, window = 8): Promise<ShardMessage[]> {
    const first = await this.get(shard, fromSeq);
    if (!first) return [];
    const out = [first];
    while (out.length < count) {
      const from = out[out.length - 1].seq + 1;
      const batch = Math.min(window, count - out.length);
      const got = await Promise.all(Array.from({ length: batch }, (_, i) => this.get(shard, from + i)));
      for (let i = 0; i < got.length; i++) {
        if (!got[i] || got[i]!.seq !== from + i) return out;
        out.push(got[i]!);
      }
    }
    return out;
  }
}

function boundsOf(info: StreamInfo): ShardBounds {
  return { firstSeq: info.state.first_seq, lastSeq: info.state.last_seq };
}

/** JetStream's answer to a publish. */
export interface PublishAck {
  seq: number;
  duplicate: boolean;
}
