import {
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  nanos,
  type JetStreamClient,
  type JetStreamManager,
  type NatsConnection,
} from 'nats';
import { JS_STREAM_NOT_FOUND, jetStreamErrorCode, mapNatsError } from './jetstream-errors';
import { shardRecordSubject, shardStreamName } from './subjects';

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
 * The JetStream adapter of a shard: one file-backed JetStream stream per shard, whose
 * sequence is the record position. Reads use direct get by sequence (stateless, no
 * consumer per call, and every sequence is checked, so nothing is skipped silently).
 */
export class ShardStore {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly js: JetStreamClient,
    private readonly replicas: number,
  ) {}

  static async open(nc: NatsConnection, replicas = 1): Promise<ShardStore> {
    const jsm = await nc.jetstreamManager();
    return new ShardStore(nc, jsm, nc.jetstream(), replicas);
  }

  /** Creates the shard's JetStream stream if missing; idempotent. */
  async ensure(shard: ShardAddress, retentionHours: number): Promise<void> {
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
      await this.jsm.streams.info(name);
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_STREAM_NOT_FOUND) throw mapNatsError(err, 'stream info');
      try {
        await this.jsm.streams.add(config);
      } catch (addErr) {
        // A concurrent ensure may have created it: that is success.
        await this.jsm.streams.info(name).catch(() => Promise.reject(mapNatsError(addErr, 'create shard')));
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

  async bounds(shard: ShardAddress): Promise<ShardBounds> {
    try {
      const info = await this.jsm.streams.info(shardStreamName(shard.streamId, shard.shardIndex));
      return { firstSeq: info.state.first_seq, lastSeq: info.state.last_seq };
    } catch (err) {
      throw mapNatsError(err, 'shard bounds');
    }
  }

  /**
   * Publishes one message that must land right after `expectLastSeq` (fencing: a stale
   * owner's write fails). The message id makes a retried publish land once.
   */
  publish(shard: ShardAddress, payload: Uint8Array, expectLastSeq: number, msgId: string) {
    return this.js.publish(shardRecordSubject(shard.streamId, shard.shardIndex), payload, {
      msgID: msgId,
      expect: { lastSequence: expectLastSeq },
    });
  }

  /** Reads the message at `seq`, or undefined when there is none (past the end, or expired). */
  async get(shard: ShardAddress, seq: number): Promise<ShardMessage | undefined> {
    const subject = `$JS.API.DIRECT.GET.${shardStreamName(shard.streamId, shard.shardIndex)}`;
    try {
      const reply = await this.nc.request(subject, JSON.stringify({ seq }), { timeout: 5000 });
      const code = reply.headers?.code ?? 0;
      if (code === 404 || code === 408) return undefined;
      if (code >= 400) throw new Error(`direct get ${seq}: ${code} ${reply.headers?.description ?? ''}`);
      return { seq, payload: reply.data };
    } catch (err) {
      throw mapNatsError(err, 'read shard');
    }
  }

  /**
   * Reads up to `count` consecutive messages from `fromSeq`, `window` requests in flight,
   * stopping at the first missing sequence. The caller decides what a gap means.
   */
  async getRange(shard: ShardAddress, fromSeq: number, count: number, window = 8): Promise<ShardMessage[]> {
    const out: ShardMessage[] = [];
    let seq = fromSeq;
    while (out.length < count) {
      const batch = Math.min(window, count - out.length);
      const got = await Promise.all(Array.from({ length: batch }, (_, i) => this.get(shard, seq + i)));
      for (const message of got) {
        if (!message) return out;
        out.push(message);
      }
      seq += batch;
    }
    return out;
  }
}
