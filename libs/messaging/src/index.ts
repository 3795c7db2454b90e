export { connectNats, messageLimit, natsServers } from './connection';
export { JS_STREAM_NOT_FOUND, JS_WRONG_LAST_SEQUENCE, jetStreamErrorCode, mapNatsError } from './jetstream-errors';
export { ShardStore } from './shard-store';
export type { PublishAck, ShardAddress, ShardBounds, ShardMessage } from './shard-store';
export { RequestMux } from './request-mux';
export { JetStreamApiError } from './jetstream-errors';
export {
  ACTOR_QUEUE_GROUP,
  DEFAULT_NATS_URL,
  DELIVERY_STREAM_CHANGED_SUBJECT,
  METADATA_CHANGED_SUBJECT,
  TRACEPARENT_HEADER,
  deliveryRecordSubject,
  deliveryStreamStreamName,
  shardActorSubject,
  shardAppendedSubject,
  shardRecordSubject,
  shardStreamName,
} from './subjects';
export {
  admitPrefix,
  decodeMessage,
  encodeRecordBatches,
  firstPartCount,
  joinParts,
  messageUsage,
  recordCount,
  stampArrival,
} from './record-batch';
export type { DecodedRecord, EncodedMessage, MessageUsage, RecordInput, StoredMessage } from './record-batch';
export { newDataKey, open, readKeyHeader, seal, unwrapDataKey } from './record-crypto';
export type { DataKey, DataKeyResolver, KeyHeader } from './record-crypto';
export { APPEND_GROUP_HEADER, APPEND_PART_HEADER, appendRequestSize, decodeAppendRequest, encodeAppendRequest } from './append-protocol';
export type { AppendReply } from './append-protocol';
