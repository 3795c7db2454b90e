export {
  ShardlineError,
  asShardlineError,
  expiredIterator,
  internalFailure,
  invalidArgument,
  inUse,
  limitExceeded,
  notFound,
  serializationError,
  unavailable,
  validationError,
} from './errors';
export type { ErrorType } from './errors';
export type {
  ChildShard,
  Consumer,
  ConsumerRef,
  ConsumerStatus,
  GetRecordsResult,
  IteratorRequest,
  KinesisBackend,
  PutRecordEntry,
  PutRecordResult,
  Shard,
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
export { kinesisOperations, runOperation, serializeOutput } from './operations/index';
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
export type { FieldSpec, ValidationTable } from './validation/table';
