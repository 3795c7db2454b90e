/**
 * A direct-put delivery stream's own JetStream stream (`SL_FH_<id>`): PutRecord and
 * PutRecordBatch land there; delivered messages are purged, the pipeline being its only reader.
 */
import type { JetStreamClient, JetStreamManager } from 'nats';
import { deliveryStreamStreamName, type DataKeyResolver } from '@shardline/messaging';
import { OrderedJetStreamSource, recordIdAt } from './ordered-source';

export class DirectPutSource extends OrderedJetStreamSource {
  readonly key = '';

  constructor(
    js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    deliveryStreamId: string,
    /** Opens the records of a delivery stream with server-side encryption. */
    keys?: DataKeyResolver,
  ) {
    super(
      js,
      deliveryStreamStreamName(deliveryStreamId),
      (record, seq, index, arrival) => ({
        recordId: recordIdAt(seq, index),
        data: record.data,
        approximateArrivalTimestamp: arrival,
        position: { seq, index },
      }),
      keys,
    );
  }

  async release(seq: number): Promise<void> {
    await this.jsm.streams.purge(this.streamName, { seq: seq + 1 });
  }
}
