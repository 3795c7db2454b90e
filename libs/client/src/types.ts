/**
 * The JSON shapes of Shardline's native APIs, written out for the client so the published
 * package does not depend on the server's code. The server's zod schemas
 * (libs/native/src/schemas.ts) are the source of truth; test/client checks these against
 * the live /v1/openapi.json.
 */

export type StreamMode = 'PROVISIONED' | 'ON_DEMAND';
export type StreamStatus = 'CREATING' | 'DELETING' | 'ACTIVE' | 'UPDATING';
export type EncryptionType = 'NONE' | 'KMS';
export type Tags = Record<string, string>;

/** TRIM_HORIZON | LATEST | AT_SEQUENCE_NUMBER:<seq> | AFTER_SEQUENCE_NUMBER:<seq> | AT_TIMESTAMP:<ISO 8601> */
export type StartPosition = string;

export interface CreateStreamInput {
  name: string;
  /** Required for PROVISIONED; ON_DEMAND starts with 4. */
  shardCount?: number;
  mode?: StreamMode;
  tags?: Tags;
}

export interface UpdateStreamInput {
  retentionHours?: number;
  shardCount?: number;
  mode?: StreamMode;
  maxRecordSizeKiB?: number;
  /** The complete new tag set: keys left out are removed. */
  tags?: Tags;
}

export interface ShardView {
  shardId: string;
  status: 'OPEN' | 'CLOSED';
  parentShardId?: string;
  adjacentParentShardId?: string;
  hashKeyRange: { start: string; end: string };
  startingSequenceNumber: string;
  endingSequenceNumber?: string;
}

export interface StreamSummary {
  name: string;
  arn: string;
  status: StreamStatus;
  mode: StreamMode;
  retentionHours: number;
  createdAt: string;
  encryptionType: EncryptionType;
  keyId?: string;
  maxRecordSizeKiB: number;
  openShardCount: number;
  consumerCount: number;
}

export interface StreamView extends StreamSummary {
  shards: ShardView[];
  tags: Tags;
}

export interface StreamList {
  streams: StreamSummary[];
  nextCursor: string | null;
}

export interface DeletedView {
  name: string;
  status: 'DELETING';
}

/** A record to put: `data` is any JSON value (stored as its JSON text), `dataBase64` raw bytes. */
export interface RecordInput {
  partitionKey: string;
  data?: unknown;
  dataBase64?: string;
  /** Decimal hash key overriding the MD5 of the partition key. */
  explicitHashKey?: string;
}

export interface PutAck {
  shardId: string;
  sequenceNumber: string;
}

export type RetriableErrorCode = 'ProvisionedThroughputExceededException' | 'InternalFailure';

export interface PutFailure {
  errorCode: RetriableErrorCode;
  errorMessage: string;
}

export interface PutSingleResult extends PutAck {
  encryptionType: EncryptionType;
}

export interface PutBatchResult {
  failedRecordCount: number;
  /** In request order: an ack or a per-record failure (retry only those). */
  records: Array<PutAck | PutFailure>;
  encryptionType: EncryptionType;
}

export interface RecordView {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  arrivalTimestamp: string;
  /** The record's bytes. */
  dataBase64: string;
  /** The bytes parsed as JSON, present when they are UTF-8 JSON text. */
  data?: unknown;
}

export interface ReadOptions {
  /** Where to start (default TRIM_HORIZON); ignored with cursor. */
  from?: StartPosition;
  cursor?: string;
  limit?: number;
}

export interface ReadResult {
  records: RecordView[];
  /** Null once a closed shard was read to its end. */
  nextCursor: string | null;
  millisBehindLatest: number;
  childShards?: string[];
}

/** An RFC 9457 problem: what the APIs answer on failure. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ path: string; message: string }>;
  /** Where in a submitted SQL text the problem is (analytics applications), 1-based. */
  line?: number;
  column?: number;
}

/** One record of a tail, with the SSE event id that resumes just after it. */
export interface TailRecord {
  id: string;
  record: RecordView;
}

export interface TailOptions {
  /** Tail one shard (and its children) instead of all. */
  shard?: string;
  /** Where to start (default LATEST); lastEventId overrides it. */
  from?: StartPosition;
  /** Resume after this event (a TailRecord's id). */
  lastEventId?: string;
  /** Stops the tail. */
  signal?: AbortSignal;
  /** Wait before reconnecting after the connection drops (ms, default 1000). */
  reconnectDelayMs?: number;
}

/** A stream's consumer groups. */
export interface GroupList {
  groups: Array<{ groupName: string; createdAt: string }>;
}

/** A live member of a consumer group and the shards it holds. */
export interface GroupMemberView {
  memberId: string;
  joinedAt: string;
  lastHeartbeat: string;
  shards: string[];
}

/** One shard's progress in a consumer group. */
export interface GroupShardView {
  shardId: string;
  status: 'OPEN' | 'CLOSED';
  /** Member holding the shard. */
  owner?: string;
  /** Fencing token of the lease. */
  epoch?: number;
  /** Last sequence number checkpointed. */
  checkpoint?: string;
  /** A closed shard read and checkpointed to its end. */
  shardEnd: boolean;
  /** Handed out only once its parents are read to their ends. */
  waitingForParents: boolean;
  /** Stored messages after the checkpoint (approximate: one PutRecords call per shard is one message). */
  lagRecords: number;
  /** Arrival of the newest record minus that of the oldest not checkpointed. */
  lagMillis: number;
}

/** A consumer group: its members, and each shard's holder, checkpoint and lag. */
export interface GroupView {
  streamName: string;
  groupName: string;
  createdAt: string;
  members: GroupMemberView[];
  shards: GroupShardView[];
}

/** A shard leased to a member. */
export interface LeasedShardView {
  shardId: string;
  epoch: number;
  /** The member starts just past this sequence number. */
  checkpoint?: string;
}

/** A member's shards now (what a heartbeat answers). */
export interface MemberAssignment {
  memberId: string;
  shards: LeasedShardView[];
}

/** What joining a group over REST answers: the member's shards and its URLs on the gateway that hosts it. */
export interface JoinResult extends MemberAssignment {
  streamName: string;
  groupName: string;
  heartbeatMs: number;
  memberTtlMs: number;
  links: { self: string; records: string; checkpoints: string; heartbeat: string };
}

/** A checkpoint of a member's shard, fenced by the lease's epoch. */
export interface CheckpointInput {
  shardId: string;
  sequenceNumber: string;
  epoch: number;
}

export interface CheckpointResult extends CheckpointInput {
  /** The shard's waiting batch was acknowledged: its next batch follows. */
  acknowledged: boolean;
}

/** A `batch` event of a REST member's records stream. */
export interface GroupBatchEvent {
  shardId: string;
  epoch: number;
  shardEnd: boolean;
  millisBehindLatest: number;
  /** Checkpoint this (with the epoch) to acknowledge the batch. */
  lastSequenceNumber: string;
  records: RecordView[];
}

/** An analytics application's input mapping (docs/analytics.md, Input mapping). */
export interface AnalyticsInput {
  /** The Shardline stream read; or give deliveryStreamName. */
  streamName?: string;
  /** A Firehose delivery stream read instead of a stream (DirectPut, or KinesisStreamAsSource: its source stream). */
  deliveryStreamName?: string;
  format: 'JSON' | 'CSV';
  delimiter?: string;
  /** `path`: `$.a.b` for JSON, the 0-based field index for CSV. */
  columns: Array<{ name: string; type: string; path?: string | number }>;
  time?: { kind: 'processing' | 'eventColumn' | 'arrival'; column?: string; maxOutOfOrdernessMs?: number; allowedLatenessMs?: number; idleTimeoutMs?: number };
  referenceTables?: Array<Record<string, unknown>>;
}

/** Where an in-application stream's rows go: `{ kind: 'stream' | 'deliveryStream' | 'postgres' | 'webhook', inAppStream, ... }`. */
export type AnalyticsOutput = { kind: string; inAppStream: string } & Record<string, unknown>;

export interface CreateApplicationInput {
  name: string;
  description?: string;
  input: AnalyticsInput;
  sql: string;
  outputs?: AnalyticsOutput[];
}

export type UpdateApplicationInput = Partial<Omit<CreateApplicationInput, 'name'>>;

export type ApplicationStartingPosition = 'NOW' | 'TRIM_HORIZON' | 'LAST_STOPPED_POINT';

export interface ApplicationView {
  name: string;
  description: string;
  input: AnalyticsInput;
  sql: string;
  version: number;
  outputs: AnalyticsOutput[];
  status: 'READY' | 'STARTING' | 'RUNNING' | 'STOPPED';
  startingPosition: ApplicationStartingPosition | null;
  inAppStreams: string[];
  checkpoint: { positions: Record<string, number>; savedAt: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** What schema discovery answers: `format` and `columns` fit a create body's `input`. */
export interface DiscoveredSchema {
  format: 'JSON' | 'CSV';
  columns: Array<{ name: string; type: string; path: string | number }>;
  sampledRecords: number;
}

export interface PreviewInput {
  /** Without `columns` (and `format`), the mapping is discovered from a sample of the stored records. */
  input: Omit<AnalyticsInput, 'format' | 'columns'> & Partial<Pick<AnalyticsInput, 'format' | 'columns'>>;
  /** An application's statements, or one `SELECT [STREAM] ... FROM SOURCE_SQL_STREAM_001` (answered as PREVIEW_STREAM). */
  sql: string;
  inAppStream?: string;
  durationMs?: number;
  limit?: number;
  sampleSize?: number;
}

export interface PreviewView {
  stream: string;
  rows: Array<Record<string, unknown>>;
  errors: Array<Record<string, unknown>>;
  /** The mapping discovered when the input gave no columns. */
  discovered?: { format: 'JSON' | 'CSV'; columns: Array<{ name: string; type: string; path: string | number }> };
}
