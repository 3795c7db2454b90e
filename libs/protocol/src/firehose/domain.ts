/**
 * Firehose's domain, in camelCase, and the `FirehoseBackend` port the operations call.
 * Destination configurations stay in AWS's own (PascalCase) shape: they are stored as the
 * validated configuration the caller gave (defaults filled in), and the delivery pipeline
 * reads them as such (see destinations.ts).
 */
import type { DestinationConfig, DestinationKind } from './destinations';

export type DeliveryStreamType = 'DirectPut' | 'KinesisStreamAsSource';
export type DeliveryStreamStatus = 'CREATING' | 'ACTIVE' | 'DELETING';
export type EncryptionKeyType = 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK';
export type EncryptionStatus = 'ENABLED' | 'ENABLING' | 'DISABLED' | 'DISABLING';

/** The destination of a delivery stream: which kind, and its configuration as given (validated, defaults filled). */
export type DeliveryDestination = {
  [K in DestinationKind]: { kind: K; config: DestinationConfig<K> };
}[DestinationKind];

/** Server-side encryption of a delivery stream (Start/StopDeliveryStreamEncryption). */
export interface DeliveryStreamEncryption {
  status: EncryptionStatus;
  keyType?: EncryptionKeyType;
  keyArn?: string;
}

/** A Kinesis stream a delivery stream reads (KinesisStreamAsSource). */
export interface DeliverySource {
  kinesisStreamArn: string;
  roleArn: string;
  /** Id of the Shardline stream behind the ARN at creation time. */
  streamId: string;
  deliveryStartTimestamp: Date;
}

/** A delivery stream, as the control plane and the delivery pipeline see it. */
export interface DeliveryStream {
  /** Internal id: names the JetStream stream of a direct-put delivery stream. */
  id: string;
  name: string;
  arn: string;
  type: DeliveryStreamType;
  status: DeliveryStreamStatus;
  /** Increments on every UpdateDestination; starts at 1. */
  versionId: number;
  source?: DeliverySource;
  destination: DeliveryDestination;
  encryption: DeliveryStreamEncryption;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewDeliveryStream {
  name: string;
  type: DeliveryStreamType;
  source?: { kinesisStreamArn: string; roleArn: string };
  destination: DeliveryDestination;
  encryption?: { keyType: EncryptionKeyType; keyArn?: string };
  tags?: FirehoseTag[];
}

export interface FirehoseTag {
  key: string;
  value?: string;
}

/** One record of PutRecord / PutRecordBatch, data decoded. */
export type FirehoseRecordResult = { recordId: string } | { errorCode: string; errorMessage: string };

/** A page of delivery stream names (ListDeliveryStreams). */
export interface DeliveryStreamPage {
  names: string[];
  hasMore: boolean;
}

/**
 * What the Firehose operations need from the platform. Every method throws ShardlineError
 * (ResourceNotFoundException, ResourceInUseException, ...) in AWS's words.
 */
export interface FirehoseBackend {
  create(input: NewDeliveryStream): Promise<DeliveryStream>;
  delete(name: string, allowForceDelete: boolean): Promise<void>;
  describe(name: string): Promise<DeliveryStream>;
  list(input: { limit: number; type?: DeliveryStreamType; exclusiveStartName?: string }): Promise<DeliveryStreamPage>;
  /** Replaces the destination when `expectedVersionId` is still current; ConcurrentModificationException otherwise. */
  updateDestination(name: string, expectedVersionId: number, destination: DeliveryDestination): Promise<void>;
  putRecords(name: string, records: readonly Buffer[]): Promise<{ results: FirehoseRecordResult[]; encrypted: boolean }>;
  tag(name: string, tags: FirehoseTag[]): Promise<void>;
  untag(name: string, keys: string[]): Promise<void>;
  listTags(name: string): Promise<FirehoseTag[]>;
  startEncryption(name: string, config: { keyType: EncryptionKeyType; keyArn?: string }): Promise<void>;
  stopEncryption(name: string): Promise<void>;
}
