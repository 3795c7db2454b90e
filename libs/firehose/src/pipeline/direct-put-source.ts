/**
 * A direct-put delivery stream's own JetStream stream (`SL_FH_<id>`): PutRecord and
 * PutRecordBatch land there; delivered messages are purged — but never past a message another
 * reader (an analytics application over the delivery stream) still holds: `readersDone` answers the
 * lowest position any reader still needs (DeliveryReaderRepository), and the purge stops there.
 * The pipeline's own progress (delivery_progress) is untouched: purging less loses nothing.
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
    /** The last sequence every other reader is done with (undefined: no other reader). */
    private readonly readersDone?: () => Promise<number | undefined>,
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
    const held = await this.readersDone?.();
    const upTo = held === undefined ? seq : Math.min(seq, held);
    if (upTo > 0) await this.jsm.streams.purge(this.streamName, { seq: upTo + 1 });
  }
}
