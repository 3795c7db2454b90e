/**
 * One shard of a Kinesis-stream source (DeliveryStreamType KinesisStreamAsSource): reads the
 * shard's own JetStream stream, the records carrying kinesisRecordMetadata. A child shard
 * (after a split or merge) is read only once its parents are delivered to their end, so a
 * partition key's records reach the destination parent first, as KCL orders them.
 */
import type { JetStreamClient } from 'nats';
import { shardStreamName, type DataKeyResolver } from '@shardline/messaging';
import { encodeSequenceNumber } from '@shardline/protocol';
import { OrderedJetStreamSource, recordIdAt } from './ordered-source';

/** Whether the shards a child waits for are delivered to their end. */
export type ParentsDelivered = () => Promise<boolean>;

export class StreamShardSource extends OrderedJetStreamSource {
  constructor(
    js: JetStreamClient,
    readonly key: string,
    streamId: string,
    shardIndex: number,
    private readonly parentsDelivered: ParentsDelivered,
    keys?: DataKeyResolver,
    private readonly pollMs = 1000,
  ) {
    super(js, shardStreamName(streamId, shardIndex), (record, seq, index, arrival) => ({
      recordId: recordIdAt(seq, index),
      data: record.data,
      approximateArrivalTimestamp: arrival,
      position: { shardId: key, seq, index },
      kinesisRecordMetadata: {
        shardId: key,
        partitionKey: record.partitionKey,
        approximateArrivalTimestamp: arrival,
        sequenceNumber: encodeSequenceNumber(shardIndex, { seq, index }),
        subsequenceNumber: 0,
      },
    }), keys);
  }

  /** The shard's records stay for the stream's own readers until its retention trims them. */
  async release(): Promise<void> {}

  protected async beforeFollow(stopped: () => boolean): Promise<void> {
    while (!stopped() && !(await this.parentsDelivered().catch(() => false))) {
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
  }
}
