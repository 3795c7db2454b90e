export {
  ShardlineError,
  asShardlineError,
  concurrentModification,
  expiredIterator,
  internalFailure,
  invalidArgument,
  inUse,
  limitExceeded,
  notFound,
  serializationError,
  throughputExceeded,
  unavailable,
  validationError,
} from './errors';
export type { ErrorType } from './errors';
export type {
  AccountLimits,
  ChildShard,
  EncryptionType,
  MonitoringChange,
  PutRecordsOutcome,
  Consumer,
  ConsumerRef,
  ConsumerStatus,
  GetRecordsResult,
  IteratorRequest,
  KinesisBackend,
  PutRecordEntry,
  PutRecordResult,
  ResourceRef,
  Shard,
  ShardCountUpdate,
  ShardEvent,
  ShardEventStream,
  ShardIteratorType,
  ShardStatus,
  StoredRecord,
  Stream,
  StreamMode,
  StreamRef,
  StreamStatus,
  Tag,
} from './domain';
export {
  MAX_HASH_KEY,
  evenHashKeyRanges,
  findRangeIndex,
  hashKeyHex,
  partitionKeyHash,
  partitionKeyHashHex,
} from './hash-key';
export type { HashKeyRange } from './hash-key';
export {
  SEQUENCE_NUMBER_LENGTH,
  batchIndexDigits,
  comparePositions,
  decodeSequenceNumber,
  encodeSequenceNumber,
  sequencePrefix,
  shardEndingSequenceNumber,
  shardStartingSequenceNumber,
} from './sequence-number';
export type { RecordPosition } from './sequence-number';
export { ITERATOR_TTL_MS, ShardIteratorCodec } from './shard-iterator';
export type { ShardIteratorState } from './shard-iterator';
export { shardIdOf, shardIndexOf } from './shard-id';
export {
  areAdjacent,
  isValidSplitKey,
  mergePlan,
  middleHashKey,
  splitPlan,
  uniformScalingPlan,
} from './reshard-plan';
export type { PlannedShard, RangedShard, ReshardPlan } from './reshard-plan';
export { kinesisOperations, runOperation, serializeOutput } from './operations/index';
export { expandMetrics, nextShardLevelMetrics } from './operations/enhanced-monitoring';
export { EventStreamOutput } from './operations/event-stream-output';
export {
  EVENT_STREAM_CONTENT_TYPE,
  decodeMessage as decodeEventStreamMessage,
  encodeEvent,
  encodeException,
  encodeInitialResponse,
} from './event-stream';
export type { Operation, OperationContext } from './operations/operation';
export { validate } from './validation/engine';
export type { WireFormat } from './validation/engine';
export type { FieldSpec, ValidationTable } from './validation/table';
export { parseAccessKeys } from './auth/credentials';
export type { AccessKey } from './auth/credentials';
export { MAX_CLOCK_SKEW_MS, SigV4Verifier } from './auth/sigv4-verifier';
export type { RequestAuthenticator, SignedHttpRequest, SigV4Options } from './auth/sigv4-verifier';
// Firehose (Firehose_20150804.*): domain and port, destination shapes, validation, operations.
export * from './firehose';
