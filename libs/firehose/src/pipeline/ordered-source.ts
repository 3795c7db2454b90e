/**
 * Reads a JetStream stream of record batches in order, from a sequence on, with an ordered
 * consumer: no server-side acknowledgement state, since the pipeline keeps its own committed
 * position in Postgres. Record batches are decoded with the shards' codec; the two sources
 * (direct put, a stream's shard) differ only in naming and in what a record carries.
 */
import type { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from 'nats';
import { TRACEPARENT_HEADER, decodeMessage, joinParts, type DataKeyResolver, type DecodedRecord } from '@shardline/messaging';
import type { FirehoseRecord } from '../model';
import type { SourceMessage } from './batch';

/** Where a delivery stream's records come from. */
export interface RecordSource {
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

/** Makes the pipeline's record of one stored record. */
export type RecordMapper = (record: DecodedRecord, seq: number, index: number, arrival: number) => FirehoseRecord;

export abstract class OrderedJetStreamSource implements RecordSource {
  abstract readonly key: string;
  /** Parts of a large record read so far (its messages are consecutive). */
  private parts: Buffer[] = [];
  private firstPartSeq = 0;

  constructor(
    protected readonly js: JetStreamClient,
    protected readonly streamName: string,
    private readonly toRecord: RecordMapper,
    /** Opens the sealed batches of an encrypted stream. */
    private readonly keys?: DataKeyResolver,
  ) {}

  abstract release(seq: number): Promise<void>;

  /** Resolves when following may begin (a child shard waits for its parents); `stopped` ends the wait early. */
  protected async beforeFollow(_stopped: () => boolean): Promise<void> {}

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
      await this.beforeFollow(() => stopped);
      if (stopped) return;
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

  private decode(msg: JsMsg): SourceMessage | undefined {
    const decoded = decodeMessage(msg.data, this.keys);
    if (decoded.kind === 'part') {
      if (decoded.index === 0) {
        this.parts = [];
        this.firstPartSeq = msg.seq;
      }
      this.parts.push(Buffer.from(decoded.bytes));
      if (decoded.index + 1 < decoded.count) return undefined;
      const joined = joinParts(this.parts, this.keys);
      this.parts = [];
      return this.toMessage(joined, this.firstPartSeq, msg);
    }
    return this.toMessage(decoded, msg.seq, msg);
  }

  private toMessage(decoded: ReturnType<typeof decodeMessage>, firstSeq: number, msg: JsMsg): SourceMessage {
    if (decoded.kind !== 'records') throw new Error(`delivery stream ${this.streamName}: a part inside parts at ${msg.seq}`);
    const arrival = decoded.timestamp || Math.floor(msg.info.timestampNanos / 1e6);
    let bytes = 0;
    // Record data stays a view into the message: all of a message's records go in the same batch.
    const records: FirehoseRecord[] = decoded.records.map((record, index) => {
      bytes += record.data.length;
      return this.toRecord(record, firstSeq, index, arrival);
    });
    const trace = msg.headers?.get(TRACEPARENT_HEADER);
    return { seq: msg.seq, records, bytes, pending: msg.info.pending, ...(trace ? { trace } : {}) };
  }
}
