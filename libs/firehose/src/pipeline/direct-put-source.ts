/**
 * Reads a direct-put delivery stream's JetStream stream (`SL_FH_<id>`) in order, from a
 * sequence on, with an ordered consumer: no server-side acknowledgement state, since the
 * pipeline keeps its own committed position in Postgres and releases (purges) delivered
 * messages itself. Record batches are decoded with the shards' codec.
 */
import type { Consumer, ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from 'nats';
import { decodeMessage, deliveryStreamStreamName, joinParts } from '@shardline/messaging';
import type { FirehoseRecord } from '../model';
import type { SourceMessage } from './batch';

/** Where a delivery stream's records come from. */
export interface DeliverySource {
  /** '' for direct put, else the shard id of the source stream. */
  readonly key: string;
  /** Messages `fromSeq`..`toSeq` (a batch being redone after a crash). */
  readRange(fromSeq: number, toSeq: number): Promise<SourceMessage[]>;
  /** Calls `onMessage` for every message from `fromSeq` on, in order, until stopped. */
  follow(fromSeq: number, onMessage: (message: SourceMessage) => Promise<void>): SourceFollower;
  /** Messages up to `seq` are delivered and will not be read again. */
  release(seq: number): Promise<void>;
}

export interface SourceFollower {
  stop(): Promise<void>;
  /** Settles when following ends (stopped, or failed: the runner restarts it). */
  done: Promise<void>;
}

/** A record id stable across redelivery: the message's sequence and the record's index in it. */
export function recordIdAt(seq: number, index: number): string {
  return `${seq}.${index}`;
}

export class DirectPutSource implements DeliverySource {
  readonly key = '';
  private readonly streamName: string;
  /** Parts of a large record read so far (its messages are consecutive). */
  private parts: Buffer[] = [];
  private firstPartSeq = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    deliveryStreamId: string,
  ) {
    this.streamName = deliveryStreamStreamName(deliveryStreamId);
  }

  async readRange(fromSeq: number, toSeq: number): Promise<SourceMessage[]> {
    const out: SourceMessage[] = [];
    if (toSeq < fromSeq) return out;
    const consumer = await this.js.consumers.get(this.streamName, { opt_start_seq: fromSeq });
    this.parts = [];
    try {
      while (true) {
        const batch = await consumer.fetch({ max_messages: Math.min(1000, toSeq - fromSeq + 1), expires: 2000 });
        let got = 0;
        for await (const msg of batch) {
          got++;
          const message = this.decode(msg);
          if (message) out.push(message);
          if (msg.seq >= toSeq) return out;
        }
        if (got === 0) throw new Error(`delivery stream ${this.streamName}: messages ${fromSeq}..${toSeq} are no longer stored`);
      }
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  follow(fromSeq: number, onMessage: (message: SourceMessage) => Promise<void>): SourceFollower {
    let messages: ConsumerMessages | undefined;
    let consumer: Consumer | undefined;
    let stopped = false;
    const done = (async () => {
      consumer = await this.js.consumers.get(this.streamName, { opt_start_seq: fromSeq });
      if (stopped) return;
      this.parts = [];
      messages = await consumer.consume({ max_messages: 2000 });
      for await (const msg of messages) {
        const message = this.decode(msg);
        if (message) await onMessage(message);
        if (stopped) break;
      }
    })();
    return {
      done,
      stop: async () => {
        stopped = true;
        messages?.stop();
        await done.catch(() => undefined);
        await consumer?.delete().catch(() => undefined);
      },
    };
  }

  async release(seq: number): Promise<void> {
    await this.jsm.streams.purge(this.streamName, { seq: seq + 1 });
  }

  private decode(msg: JsMsg): SourceMessage | undefined {
    const decoded = decodeMessage(msg.data);
    if (decoded.kind === 'part') {
      if (decoded.index === 0) {
        this.parts = [];
        this.firstPartSeq = msg.seq;
      }
      this.parts.push(Buffer.from(decoded.bytes));
      if (decoded.index + 1 < decoded.count) return undefined;
      const joined = joinParts(this.parts);
      this.parts = [];
      return this.toMessage(joined, this.firstPartSeq, msg);
    }
    return this.toMessage(decoded, msg.seq, msg);
  }

  private toMessage(decoded: ReturnType<typeof decodeMessage>, firstSeq: number, msg: JsMsg): SourceMessage {
    if (decoded.kind !== 'records') throw new Error(`delivery stream ${this.streamName}: a part inside parts at ${msg.seq}`);
    const arrival = decoded.timestamp || Math.floor(msg.info.timestampNanos / 1e6);
    let bytes = 0;
    const records: FirehoseRecord[] = decoded.records.map((record, index) => {
      bytes += record.data.length;
      return {
        recordId: recordIdAt(firstSeq, index),
        // A view, not a copy: all records of a message go in the same batch, so the message lives as long anyway.
        data: record.data,
        approximateArrivalTimestamp: arrival,
        position: { seq: firstSeq, index },
      };
    });
    return { seq: msg.seq, records, bytes };
  }
}
