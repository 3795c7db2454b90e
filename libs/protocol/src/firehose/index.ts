// Firehose's wire protocol: domain and backend port, destination shapes, validation, operations.
export type {
  DeliveryDestination,
  DeliverySource,
  DeliveryStream,
  DeliveryStreamEncryption,
  DeliveryStreamPage,
  DeliveryStreamStatus,
  DeliveryStreamType,
  EncryptionKeyType,
  EncryptionStatus,
  FirehoseBackend,
  FirehoseRecordResult,
  FirehoseTag,
  NewDeliveryStream,
} from './domain';
export type {
  BufferingHints,
  CompressionFormat,
  DataFormatConversionConfiguration,
  DestinationConfig,
  DestinationConfigs,
  DestinationKind,
  DynamicPartitioningConfiguration,
  ExtendedS3DestinationConfiguration,
  HttpEndpointDestinationConfiguration,
  ParquetSerDe,
  ProcessingConfiguration,
  Processor,
  ProcessorParameter,
  RedshiftDestinationConfiguration,
  S3Configuration,
  SchemaColumn,
  SchemaConfiguration,
} from './destinations';
export { deliveryStreamArn, kinesisStreamNameOf } from './arn';
export type { DestinationChecks } from './validation/destination-checks';
export { normalizeDestination } from './validation/destination';
export { parseSchemaTag } from './validation/data-format-conversion';
export { MAX_BATCH_BYTES, MAX_BATCH_RECORDS, MAX_RECORD_BYTES } from './validation/put-record-batch';
export { DESTINATION_ID, describeOutput } from './operations/description';
export { FIREHOSE_TARGET_PREFIX, firehoseOperations } from './operations/index';
export { MAX_TAGS as MAX_DELIVERY_STREAM_TAGS } from './operations/tags';
export { runFirehoseOperation } from './operations/operation';
export type { FirehoseOperation } from './operations/operation';
