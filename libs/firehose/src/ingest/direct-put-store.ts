/**
 * The JetStream stream of a direct-put delivery stream (`SL_FH_<id>`, subject
 * `sl.fh.rec.<id>`): created before the delivery stream turns ACTIVE, removed when it is
 * deleted. PutRecord / PutRecordBatch store their records as record batches
 * (`encodeRecordBatches`, partition key '') — one message per request where it fits — and
 * answer only after JetStream acknowledged every message, so accepted data is durable. Each
 * message carries the request's W3C `traceparent` header.
 */
import { DiscardPolicy, RetentionPolicy, StorageType, headers, nanos, type JetStreamManager, type MsgHdrs, type NatsConnection } from 'nats';
import {
  JS_STREAM_NOT_FOUND,
  JetStreamApiError,
  RequestMux,
  TRACEPARENT_HEADER,
  deliveryRecordSubject,
  deliveryStreamStreamName,
  encodeRecordBatches,
  type DataKey,
  jetStreamErrorCode,
  mapNatsError,
  stampArrival,
} from '@shardline/messaging';
import type { FirehoseRecordResult } from '@shardline/protocol';
import { encodeRecordId } from './record-id';

/** Firehose keeps undelivered data for 24 hours. */
export const DIRECT_PUT_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface DirectPutStoreOptions {
  replicas: number;
  /** Largest message the server takes (messageLimit(nc)). */
  messageLimit: number;
  now: () => number;
  retentionMs?: number;
}

export class DirectPutStore {
  private readonly mux: RequestMux;

  private constructor(
    nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly options: DirectPutStoreOptions,
  ) {
    this.mux = new RequestMux(nc);
  }

  static async open(nc: NatsConnection, options: DirectPutStoreOptions): Promise<DirectPutStore> {
    return new DirectPutStore(nc, await nc.jetstreamManager(), options);
  }

  close(): void {
    this.mux.close();
  }

  /** The sequence of the last message stored for a delivery stream (0 when none, or no stream). */
  async lastSeq(deliveryStreamId: string): Promise<number> {
    try {
      return (await this.jsm.streams.info(deliveryStreamStreamName(deliveryStreamId))).state.last_seq;
    } catch (err) {
      if (jetStreamErrorCode(err) === JS_STREAM_NOT_FOUND) return 0;
      throw mapNatsError(err, 'delivery stream info');
    }
  }

  /** Creates the delivery stream's JetStream stream if missing; idempotent. */
  async ensure(deliveryStreamId: string): Promise<void> {
    const name = deliveryStreamStreamName(deliveryStreamId);
    try {
      await this.jsm.streams.info(name);
      return;
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_STREAM_NOT_FOUND) throw mapNatsError(err, 'delivery stream info');
    }
    try {
      await this.jsm.streams.add({
        name,
        subjects: [deliveryRecordSubject(deliveryStreamId)],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        max_age: nanos(this.options.retentionMs ?? DIRECT_PUT_RETENTION_MS),
        num_replicas: this.options.replicas,
        allow_direct: true,
        duplicate_window: nanos(120_000),
      });
    } catch (err) {
      // A concurrent ensure may have created it: that is success.
      await this.jsm.streams.info(name).catch(() => Promise.reject(mapNatsError(err, 'create delivery stream storage')));
    }
  }

  async remove(deliveryStreamId: string): Promise<void> {
    try {
      await this.jsm.streams.delete(deliveryStreamStreamName(deliveryStreamId));
    } catch (err) {
      if (jetStreamErrorCode(err) !== JS_STREAM_NOT_FOUND) throw mapNatsError(err, 'delete delivery stream storage');
    }
  }

  /**
   * Stores the records and answers one result per record, in order. The messages of one
   * request are published pipelined; a message JetStream refused fails its records
   * (ServiceUnavailableException, retriable) and leaves the others stored.
   */
  async put(deliveryStreamId: string, records: readonly Buffer[], dataKey?: DataKey, traceparent?: string): Promise<FirehoseRecordResult[]> {
    const inputs = records.map((data) => ({ partitionKey: '', data }));
    // With a data key (server-side encryption), each record is sealed on its own, as a stream's are.
    const messages = encodeRecordBatches(inputs, this.options.messageLimit, dataKey);
    const subject = deliveryRecordSubject(deliveryStreamId);
    const arrival = this.options.now();
    const acks = messages.map((message) => {
      stampArrival(message.payload, arrival);
      return this.publish(subject, message.payload, traceparent);
    });
    const settled = await Promise.allSettled(acks);
    const results = new Array<FirehoseRecordResult>(records.length);
    let next = 0;
    let firstSeq: number | undefined;
    for (let m = 0; m < messages.length; m++) {
      const ack = settled[m];
      // A record split into parts takes the sequence of its first part.
      if (firstSeq === undefined) firstSeq = ack.status === 'fulfilled' ? ack.value : -1;
      const count = messages[m].records;
      for (let i = 0; i < count; i++) {
        results[next + i] =
          firstSeq >= 0 && ack.status === 'fulfilled'
            ? { recordId: encodeRecordId(firstSeq, i) }
            : { errorCode: 'ServiceUnavailableException', errorMessage: 'Slow down: the record was not stored; retry it.' };
      }
      next += count;
      if (count > 0) firstSeq = undefined;
    }
    return results;
  }

  /** `traceparent`: the producer's trace, kept in the message's headers for the delivery span to link to. */
  private async publish(subject: string, payload: Uint8Array, traceparent?: string): Promise<number> {
    let h: MsgHdrs | undefined;
    if (traceparent) {
      h = headers();
      h.set(TRACEPARENT_HEADER, traceparent);
    }
    const reply = await this.mux.request(subject, payload, h);
    const ack = JSON.parse(reply.string()) as { seq?: number; error?: { err_code: number; description: string } };
    if (ack.error) throw new JetStreamApiError(ack.error.err_code, ack.error.description);
    return ack.seq!;
  }
}
