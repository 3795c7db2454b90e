export { ShardlineClient } from './client';
export type { ShardlineClientOptions } from './client';
export { ConsumerGroup } from './consumer-group';
export type { GroupBatchHandler, GroupConsumeOptions, GroupConsumer, GroupRecord, GroupRecordBatch, GroupRecordHandler } from './group-member';
export { ShardlineNatsApi } from './nats-api';
export type { NatsApiOptions } from './nats-api';
export { ShardlineProducer } from './producer';
export type { ProducerOptions, ProducerRecord, RecordData } from './producer';
export { PROBLEM_BASE, PutRecordError, ShardlineApiError } from './errors';
export { SseParser } from './sse';
export type { SseEvent } from './sse';
export type {
  AnalyticsInput,
  AnalyticsOutput,
  ApplicationStartingPosition,
  ApplicationView,
  CheckpointInput,
  CreateApplicationInput,
  DiscoveredSchema,
  PreviewInput,
  PreviewView,
  UpdateApplicationInput,
  CheckpointResult,
  CreateStreamInput,
  DeletedView,
  GroupBatchEvent,
  GroupList,
  GroupMemberView,
  GroupShardView,
  GroupView,
  JoinResult,
  LeasedShardView,
  MemberAssignment,
  EncryptionType,
  Problem,
  PutAck,
  PutBatchResult,
  PutFailure,
  PutSingleResult,
  ReadOptions,
  ReadResult,
  RecordInput,
  RecordView,
  RetriableErrorCode,
  ShardView,
  StartPosition,
  StreamList,
  StreamMode,
  StreamStatus,
  StreamSummary,
  StreamView,
  Tags,
  TailOptions,
  TailRecord,
  UpdateStreamInput,
} from './types';
