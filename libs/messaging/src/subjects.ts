/**
 * NATS names, in one place. Stream ids are uuids (hex and dashes only), so every name below is a
 * valid JetStream stream name and subject token whatever the Kinesis stream is called.
 */
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/** The JetStream stream holding one shard's record batches. */
export function shardStreamName(streamId: string, shardIndex: number): string {
  return `SL_${streamId}_${shardIndex}`;
}

/** The subject a shard's record batches are published on. */
export function shardRecordSubject(streamId: string, shardIndex: number): string {
  return `sl.rec.${streamId}.${shardIndex}`;
}

/** The subject a shard actor listens on (queue group) for appends from other processes. */
export function shardActorSubject(streamId: string, shardIndex: number): string {
  return `sl.actor.${streamId}.${shardIndex}`;
}

export const ACTOR_QUEUE_GROUP = 'shard-actor';

/** Announces that a stream's metadata (status, shards, retention) changed; the body is the stream id. */
export const METADATA_CHANGED_SUBJECT = 'sl.meta.changed';

/**
 * Core NATS (not JetStream) notices that a shard's actor appended records; the body is
 * `<publisher id> <last JetStream sequence>`. Enhanced fan-out subscriptions in other
 * processes read the new records when one arrives.
 */
export function shardAppendedSubject(streamId: string, shardIndex: number): string {
  return `sl.appended.${streamId}.${shardIndex}`;
}

/** The JetStream stream holding a direct-put delivery stream's record batches (Firehose). */
export function deliveryStreamStreamName(deliveryStreamId: string): string {
  return `SL_FH_${deliveryStreamId}`;
}

/** The subject a direct-put delivery stream's record batches are published on. */
export function deliveryRecordSubject(deliveryStreamId: string): string {
  return `sl.fh.rec.${deliveryStreamId}`;
}

/** Announces that a delivery stream was created, updated or deleted; the body is its id. */
export const DELIVERY_STREAM_CHANGED_SUBJECT = 'sl.fh.changed';

/** Header of a stored record message holding its producer's W3C trace context (`traceparent`). */
export const TRACEPARENT_HEADER = 'traceparent';
