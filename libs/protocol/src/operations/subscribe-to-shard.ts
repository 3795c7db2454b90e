/**
 * SubscribeToShard
 *   request:  { ConsumerARN, ShardId, StartingPosition: { Type, SequenceNumber?, Timestamp? }, StreamId? }
 *   response: HTTP 200, `application/vnd.amazon.eventstream`: an `initial-response` event, then
 *             SubscribeToShardEvent events { Records: [{ SequenceNumber, ApproximateArrivalTimestamp,
 *             Data, PartitionKey, EncryptionType }], ContinuationSequenceNumber?, MillisBehindLatest,
 *             ChildShards? } until the subscription ends; an error after the start is an exception
 *             message. Errors before the start (unknown consumer or shard, a subscription already
 *             held) are ordinary JSON errors.
 */
import type { IteratorRequest, ShardEvent, ShardEventStream } from '../domain';
import { encodeEvent } from '../event-stream';
import { subscribeToShardTable, type SubscribeToShardInput } from '../validation/subscribe-to-shard';
import { EventStreamOutput } from './event-stream-output';
import { defineOperation } from './operation';
import { epochSeconds, toWireChildShard, type WireChildShard } from './wire';

export const SUBSCRIBE_TO_SHARD_EVENT = 'SubscribeToShardEvent';

/** SubscribeToShardEvent as it travels in one event message. */
export interface WireSubscribeToShardEvent {
  Records: Array<{
    SequenceNumber: string;
    ApproximateArrivalTimestamp: number;
    Data: string;
    PartitionKey: string;
    EncryptionType: 'NONE' | 'KMS';
  }>;
  ContinuationSequenceNumber?: string;
  MillisBehindLatest: number;
  ChildShards?: WireChildShard[];
}

export function toWireEvent(event: ShardEvent): WireSubscribeToShardEvent {
  const wire: WireSubscribeToShardEvent = {
    Records: event.records.map((record) => ({
      SequenceNumber: record.sequenceNumber,
      ApproximateArrivalTimestamp: epochSeconds(record.arrivalTimestamp),
      Data: record.data.toString('base64'),
      PartitionKey: record.partitionKey,
      // Per record: a stream's encryption may have started or stopped between two records.
      EncryptionType: record.encrypted ? 'KMS' : 'NONE',
    })),
    MillisBehindLatest: event.millisBehindLatest,
  };
  if (event.continuationSequenceNumber !== undefined) wire.ContinuationSequenceNumber = event.continuationSequenceNumber;
  if (event.childShards !== undefined) wire.ChildShards = event.childShards.map(toWireChildShard);
  return wire;
}

async function* encodeEvents(stream: ShardEventStream): AsyncGenerator<Uint8Array> {
  for await (const event of stream) yield encodeEvent(SUBSCRIBE_TO_SHARD_EVENT, JSON.stringify(toWireEvent(event)));
}

export const subscribeToShard = defineOperation({
  name: 'SubscribeToShard',
  validation: subscribeToShardTable,
  async execute(backend, input: SubscribeToShardInput): Promise<EventStreamOutput> {
    const position = input.StartingPosition;
    const start: IteratorRequest = { type: position.Type };
    if (position.SequenceNumber !== undefined) start.sequenceNumber = position.SequenceNumber;
    if (position.Type === 'AT_TIMESTAMP') start.timestamp = position.Timestamp;
    const stream = await backend.subscribeToShard(input.ConsumerARN, input.ShardId, start);
    return new EventStreamOutput(encodeEvents(stream), () => stream.close());
  },
});
