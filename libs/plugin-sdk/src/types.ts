/**
 * Firehose's data-transformation contract (the Lambda event and answer), byte for byte.
 * Names follow @types/aws-lambda (FirehoseTransformationEvent, FirehoseTransformationResult, ...),
 * so a handler typed against those types compiles against these.
 */

/** What a transform says of one record. */
export type FirehoseRecordTransformationStatus = 'Ok' | 'Dropped' | 'ProcessingFailed';

/** kinesisRecordMetadata of a record read from a Kinesis (Shardline) stream. */
export interface FirehoseRecordMetadata {
  shardId: string;
  partitionKey: string;
  /** Epoch milliseconds. */
  approximateArrivalTimestamp: number;
  sequenceNumber: string;
  subsequenceNumber: number;
}

/** One record of the event: its data is base64. */
export interface FirehoseTransformationEventRecord {
  recordId: string;
  /** Epoch milliseconds. */
  approximateArrivalTimestamp: number;
  /** Base64 of the record's bytes. */
  data: string;
  kinesisRecordMetadata?: FirehoseRecordMetadata;
}

/** The event a transform receives: one batch of a delivery stream. */
export interface FirehoseTransformationEvent {
  invocationId: string;
  deliveryStreamArn: string;
  sourceKinesisStreamArn?: string;
  region: string;
  records: FirehoseTransformationEventRecord[];
}

/** Dynamic-partitioning keys a transform may return with a record. */
export interface FirehoseTransformationMetadata {
  partitionKeys: { [name: string]: string };
}

/** One record of the answer: every recordId of the event exactly once. */
export interface FirehoseTransformationResultRecord {
  recordId: string;
  result: FirehoseRecordTransformationStatus;
  /** Base64 of the new bytes (required for Ok). */
  data: string;
  metadata?: FirehoseTransformationMetadata;
}

/** The answer of a transform. */
export interface FirehoseTransformationResult {
  records: FirehoseTransformationResultRecord[];
}

/** The Lambda context object the host passes (the members a transform can use). */
export interface Context {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  /** A string, as Lambda gives it. */
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  done(error?: Error | string | null, result?: unknown): void;
  succeed(result: unknown): void;
  fail(error: Error | string): void;
}

/** Lambda's callback (the pre-async handler style). */
export type Callback<TResult = unknown> = (error?: Error | string | null, result?: TResult) => void;

/** A transform handler in any of Lambda's styles: async, or calling back. */
export type FirehoseTransformationHandler = (
  event: FirehoseTransformationEvent,
  context: Context,
  callback: Callback<FirehoseTransformationResult>,
) => void | Promise<FirehoseTransformationResult>;

/** FirehoseTransformationCallback of @types/aws-lambda. */
export type FirehoseTransformationCallback = Callback<FirehoseTransformationResult>;
