/**
 * Domain types of Kinesis Data Streams, in camelCase. Wire shapes (PascalCase) stay in
 * operations/; the backend port below speaks only these.
 */
import type { Context as TraceContext } from '@opentelemetry/api';
export type StreamStatus = 'CREATING' | 'DELETING' | 'ACTIVE' | 'UPDATING';
export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';
export type ShardStatus = 'OPEN' | 'CLOSED';
export type ShardIteratorType =
  | 'AT_SEQUENCE_NUMBER'
  | 'AFTER_SEQUENCE_NUMBER'
  | 'TRIM_HORIZON'
  | 'LATEST'
  | 'AT_TIMESTAMP';

/** Names a stream by name or by ARN (current AWS rules accept either). */
export interface StreamRef {
  name?: string;
  arn?: string;
}

export interface Shard {
  shardId: string;
  /** Numeric part of the shard id; monotonic per stream, children above parents. */
  index: number;
  parentShardId?: string;
  adjacentParentShardId?: string;
  hashKeyStart: bigint;
  hashKeyEnd: bigint;
  startingSequenceNumber: string;
  endingSequenceNumber?: string;
  status: ShardStatus;
  /** When the shard opened and closed (ListShards' timestamp filters); absent when unknown. */
  createdAt?: Date;
  closedAt?: Date;
}

export interface Stream {
  /** Internal id: names the stream's JetStream streams; a re-created stream gets a new one. */
  id: string;
  name: string;
  arn: string;
  status: StreamStatus;
  mode: StreamMode;
  retentionHours: number;
  createdAt: Date;
  encryptionType: EncryptionType;
  keyId?: string;
  /** All shards, open and closed, ordered by index. */
  shards: Shard[];
  consumerCount: number;
  enhancedMonitoring: string[];
  /** Largest record (data) the stream takes, in KiB: 1024 (1 MiB, the default) to 10240. */
  maxRecordSizeKiB?: number;
}

/**
 * A resource named by ARN in TagResource, UntagResource, ListTagsForResource and the
 * resource-policy operations: a stream, or a consumer registered on one.
 */
export type ResourceRef =
  | { kind: 'stream'; arn: string }
  | { kind: 'consumer'; arn: string; streamArn: string; consumerName: string };

export interface Tag {
  key: string;
  value?: string;
}

export interface PutRecordEntry {
  partitionKey: string;
  data: Buffer;
  /** Overrides the MD5 of the partition key, already parsed from its decimal form. */
  explicitHashKey?: bigint;
}

export type PutRecordResult =
  | { shardId: string; sequenceNumber: string }
  | { errorCode: 'ProvisionedThroughputExceededException' | 'InternalFailure'; errorMessage: string };

/** The per-record results of a put, in request order, and whether the records were stored encrypted. */
export interface PutRecordsOutcome {
  records: PutRecordResult[];
  encryptionType: EncryptionType;
}

export type EncryptionType = 'NONE' | 'KMS';

export interface StoredRecord {
  sequenceNumber: string;
  partitionKey: string;
  data: Buffer;
  arrivalTimestamp: Date;
  /** True for a record stored encrypted (GetRecords answers EncryptionType KMS for it). */
  encrypted?: boolean;
}

/** What DescribeLimits reports for the account. */
export interface AccountLimits {
  shardLimit: number;
  openShardCount: number;
  onDemandStreamCount: number;
  onDemandStreamCountLimit: number;
}

/** A stream's shard-level metrics before and after Enable/DisableEnhancedMonitoring. */
export interface MonitoringChange {
  streamName: string;
  streamArn: string;
  current: string[];
  desired: string[];
}

export interface ChildShard {
  shardId: string;
  parentShards: string[];
  hashKeyStart: bigint;
  hashKeyEnd: bigint;
}

export interface GetRecordsResult {
  records: StoredRecord[];
  /** Null once a closed shard has been read to its end. */
  nextShardIterator: string | null;
  millisBehindLatest: number;
  childShards?: ChildShard[];
}

/** Status of an enhanced fan-out consumer: CREATING after registration, DELETING after deregistration. */
export type ConsumerStatus = 'CREATING' | 'DELETING' | 'ACTIVE';

/** An enhanced fan-out consumer registered with a stream. */
export interface Consumer {
  name: string;
  /** `<stream ARN>/consumer/<name>:<creation epoch seconds>`, as AWS forms it. */
  arn: string;
  status: ConsumerStatus;
  createdAt: Date;
  streamArn: string;
}

/** Names a consumer by its ARN, or by its stream's ARN and its name. */
export interface ConsumerRef {
  arn?: string;
  streamArn?: string;
  name?: string;
}

/** One SubscribeToShardEvent: the records read since the previous event, possibly none. */
export interface ShardEvent {
  records: StoredRecord[];
  /**
   * Where a new subscription continues (AFTER_SEQUENCE_NUMBER). Absent on the last event of a
   * closed shard read to its end, which carries `childShards` instead (KCL detects the shard end so).
   */
  continuationSequenceNumber?: string;
  millisBehindLatest: number;
  childShards?: ChildShard[];
}

/**
 * A live SubscribeToShard: its events in order until it ends (after its time limit, at the
 * end of a closed shard, or with an error). `close` ends it early, e.g. when the client left.
 */
export interface ShardEventStream extends AsyncIterable<ShardEvent> {
  close(): void;
}

export interface IteratorRequest {
  type: ShardIteratorType;
  sequenceNumber?: string;
  timestamp?: Date;
}

/** What UpdateShardCount answers. */
export interface ShardCountUpdate {
  currentShardCount: number;
  targetShardCount: number;
  streamName: string;
  streamArn: string;
}

/**
 * What the Kinesis operations need from the platform. The operations in operations/ are
 * pure mappings from wire shapes onto this port; libs/streams implements it.
 */
export interface KinesisBackend {
  createStream(input: { name: string; shardCount: number; mode: StreamMode; tags?: Tag[] }): Promise<void>;
  deleteStream(ref: StreamRef, enforceConsumerDeletion: boolean): Promise<void>;
  /** Throws ResourceNotFoundException for a missing (or fully deleted) stream. */
  describeStream(ref: StreamRef): Promise<Stream>;
  /** Streams ordered by name, after `exclusiveStartName`, at most `limit`. */
  listStreams(input: { limit: number; exclusiveStartName?: string }): Promise<{ streams: Stream[]; hasMore: boolean }>;
  setRetention(ref: StreamRef, hours: number, direction: 'increase' | 'decrease'): Promise<void>;
  addTags(ref: StreamRef, tags: Tag[]): Promise<void>;
  removeTags(ref: StreamRef, keys: string[]): Promise<void>;
  /** Tags ordered by key. */
  listTags(ref: StreamRef): Promise<Tag[]>;
  /** `parent`: an OpenTelemetry context to continue (in-process producers); the HTTP edge passes none. */
  putRecords(ref: StreamRef, records: PutRecordEntry[], parent?: TraceContext): Promise<PutRecordsOutcome>;
  getShardIterator(ref: StreamRef, shardId: string, request: IteratorRequest): Promise<string>;
  getRecords(shardIterator: string, limit: number): Promise<GetRecordsResult>;
  /** Closes the shard and opens two children split at `newStartingHashKey`. */
  splitShard(ref: StreamRef, shardToSplit: string, newStartingHashKey: bigint): Promise<void>;
  /** Closes two adjacent shards and opens one child over their union. */
  mergeShards(ref: StreamRef, shardToMerge: string, adjacentShardToMerge: string): Promise<void>;
  /** UNIFORM_SCALING to `targetShardCount` even ranges. */
  updateShardCount(ref: StreamRef, targetShardCount: number): Promise<ShardCountUpdate>;
  updateStreamMode(ref: StreamRef, mode: StreamMode): Promise<void>;
  /** Sets the stream's MaxRecordSizeInKiB (1024-10240, already validated). */
  updateMaxRecordSize(ref: StreamRef, maxRecordSizeKiB: number): Promise<void>;
  /** Adds or replaces tags of a stream or consumer (ResourceNotFoundException when it does not exist). */
  tagResource(resource: ResourceRef, tags: Tag[]): Promise<void>;
  untagResource(resource: ResourceRef, keys: string[]): Promise<void>;
  /** Tags ordered by key. */
  listResourceTags(resource: ResourceRef): Promise<Tag[]>;
  /** Attaches (or replaces) the resource's policy document, already checked to be JSON. */
  putResourcePolicy(resource: ResourceRef, policy: string): Promise<void>;
  /** The resource's policy document; undefined when it has none. */
  getResourcePolicy(resource: ResourceRef): Promise<string | undefined>;
  deleteResourcePolicy(resource: ResourceRef): Promise<void>;
  describeLimits(): Promise<AccountLimits>;
  /** Adds (enable) or removes (disable) shard-level metrics; `metrics` never holds ALL (already expanded). */
  updateShardLevelMetrics(ref: StreamRef, metrics: string[], action: 'enable' | 'disable'): Promise<MonitoringChange>;
  /** Starts encrypting new records under the master key `keyId` names (KMSNotFoundException if none). */
  startEncryption(ref: StreamRef, keyId: string): Promise<void>;
  stopEncryption(ref: StreamRef, keyId: string): Promise<void>;
  /** Enhanced fan-out consumers (RegisterStreamConsumer and friends). */
  registerConsumer(streamArn: string, name: string, tags?: Tag[]): Promise<Consumer>;
  describeConsumer(ref: ConsumerRef): Promise<Consumer>;
  /** Live consumers of the stream ordered by name, after `exclusiveStartName`, at most `limit`. */
  listConsumers(streamArn: string, input: { limit: number; exclusiveStartName?: string }): Promise<{ consumers: Consumer[]; hasMore: boolean }>;
  deregisterConsumer(ref: ConsumerRef): Promise<void>;
  /** Resolves once the subscription holds its (consumer, shard) lease; errors before that are thrown. */
  subscribeToShard(consumerArn: string, shardId: string, start: IteratorRequest): Promise<ShardEventStream>;
}
