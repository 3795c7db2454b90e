/**
 * The shapes every stage of a delivery stream passes along: source -> buffer -> processors
 * (and the transform plugin) -> partitioning -> format (Parquet, compression) -> destination.
 * Pure types; each stage lives in its own folder of this lib.
 */

/**
 * Where a record sits in its source. Direct put: the JetStream sequence of the message of
 * the delivery stream's own stream and the record's index in that message's batch. Stream
 * source: the shard and the same pair inside the shard's JetStream stream. Object names and
 * batch ids derive from positions, so a redelivered batch gets the same name.
 */
export interface SourcePosition {
  /** The shard id for a Kinesis-stream source; absent for direct put. */
  shardId?: string;
  seq: number;
  index: number;
}

/** Firehose's kinesisRecordMetadata, present when the source is a stream. */
export interface KinesisRecordMetadata {
  shardId: string;
  partitionKey: string;
  /** Epoch milliseconds. */
  approximateArrivalTimestamp: number;
  sequenceNumber: string;
  subsequenceNumber?: number;
}

/** One record on its way through the pipeline. */
export interface FirehoseRecord {
  /** Unique within the delivery stream and stable across redelivery (derived from the position). */
  recordId: string;
  data: Buffer;
  /** Epoch milliseconds when the record reached Shardline. */
  approximateArrivalTimestamp: number;
  position: SourcePosition;
  kinesisRecordMetadata?: KinesisRecordMetadata;
  /** Keys for dynamic partitioning, from MetadataExtraction (query) or the transform (lambda). */
  partitionKeys?: {
    query?: Record<string, string>;
    lambda?: Record<string, string>;
  };
}

/** What a processor or transform says of one record (Lambda's contract). */
export type ProcessingResult = 'Ok' | 'Dropped' | 'ProcessingFailed';

/**
 * The kinds of error output Firehose writes, as `!{firehose:error-output-type}` expands
 * them: processing-failed, format-conversion-failed, http-endpoint-failed, ... (AWS's names).
 */
export type ErrorOutputType =
  | 'processing-failed'
  | 'format-conversion-failed'
  | 'http-endpoint-failed'
  | 'redshift-failed'
  | 'partitioning-failed'
  | 'delivery-failed';

/** A record that goes to the error output instead of the destination. */
export interface FailedRecord {
  record: FirehoseRecord;
  type: ErrorOutputType;
  errorCode: string;
  errorMessage: string;
  attemptsMade: number;
}

/** One object for an object-store destination (the directory or S3). */
export interface ObjectWrite {
  bucket: string;
  key: string;
  body: Buffer;
  contentType?: string;
  contentEncoding?: string;
}

/** An S3-like store: the directory destination and S3-compatible storage implement it. */
export interface ObjectStore {
  /** Writes (or overwrites, same key) one object; resolves once it is durable. */
  put(object: ObjectWrite): Promise<void>;
  /** Keys under a prefix, in lexical order (tests, the console). */
  list(bucket: string, prefix?: string): Promise<string[]>;
  get(bucket: string, key: string): Promise<Buffer>;
}

/** A destination that failed: retryable errors are retried until RetryOptions' duration runs out. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}
