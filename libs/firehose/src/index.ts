export * from './model';
export {
  DirectoryObjectStore,
  S3ObjectStore,
  bucketFromArn,
  s3ObjectStoreFrom,
  HttpEndpointDelivery,
  HttpEndpointDeliveryError,
  httpEndpointDeliveryFrom,
  PostgresCopyDelivery,
  postgresCopyDeliveryFrom,
  parseCopyOptions,
  connectionFromJdbcUrl,
  backoffDelay,
  retryWithBackoff,
  systemClock,
  HTTP_ENDPOINT_BUFFERING,
  HTTP_ENDPOINT_RETRY_DURATION,
  HTTP_ENDPOINT_REQUEST_TIMEOUT_MS,
  REDSHIFT_RETRY_DURATION,
} from './destinations';
export type {
  DeliveryClock,
  HttpEndpointBatch,
  HttpEndpointDestinationSettings,
  PostgresCopyBatch,
  RedshiftDestinationSettings,
  RowFormat,
  S3ConnectionSettings,
  S3DestinationSettings,
} from './destinations';
export { FirehoseRuntime } from './runtime/firehose-runtime';
export type { FirehoseRuntimeDeps } from './runtime/firehose-runtime';
export { readFirehoseConfig } from './runtime/firehose-config';
export { objectStoreOf } from './runtime/delivery-plan';
export type { FirehoseConfig } from './runtime/firehose-config';
export { DeliveryMetrics } from './pipeline/targets/delivery-metrics';
export type {
  ProcessingConfiguration,
  Processor,
  ProcessorParameter,
  ProcessorType,
  ProcessorParameterName,
  RecordStage,
  LambdaProcessor,
  CompiledProcessing,
} from './processing/processing-configuration';
export { compileProcessing, runStages } from './processing/compile-processing';
export { validateProcessing, type ProcessorSpec, type ProcessingValidationOptions } from './processing/validate-processing';
export { splitJson, splitDelimited } from './processing/record-deaggregation';
export { parsePrefix, evaluatePrefix, DEFAULT_TIME_EXPRESSION, type PrefixPart, type PrefixContext } from './partitioning/prefix';
export { validatePrefixes, resolvePrefixes, MAX_EVALUATED_PREFIX_LENGTH, type ResolvedPrefixes } from './partitioning/prefixes';
export { groupByPrefix, groupErrors, type PrefixGroup, type Grouping, type ErrorGroup } from './partitioning/group';
export { objectName, oldestArrival, positionsId, type ObjectNameInput } from './partitioning/object-name';
export { formatJavaDate } from './partitioning/java-date-format';
export { compress, decompress, codecFor, snappyFramed, COMPRESSION_FORMATS, type CompressionFormat, type Codec } from './format/compression';
export { toParquet, type ParquetConversion, type ParquetCompression, type ParquetResult } from './format/parquet';
export { parseHiveType, type GlueColumn, type HiveType } from './format/hive-schema';
export { errorOutputDocument, errorOutputBody, type ErrorOutputContext } from './format/error-output';
// Control plane and direct-put ingest (the Firehose API's backend).
export { FirehoseControl } from './control/firehose-control';
export type { FirehoseControlConfig, FirehoseControlDeps } from './control/firehose-control';
export { DeliveryStreamService, SCHEMA_TAG } from './control/delivery-stream-service';
export { DeliveryStreamDirectory } from './control/delivery-stream-directory';
export { DESTINATION_VALIDATORS } from './control/destination-validators';
export type { DestinationValidators } from './control/destination-validators';
export { DirectPutStore, DIRECT_PUT_RETENTION_MS } from './ingest/direct-put-store';
export { decodeRecordId, encodeRecordId } from './ingest/record-id';
export type { DeliveryStreamConfig, DeliveryStreamDescription } from './control/delivery-stream-config';
export {
  DEFAULT_TIMEOUT_SECONDS,
  InvalidArtifactError,
  PLUGIN_NAME,
  PluginCatalog,
  PluginRegistry,
  TransformBatchError,
  TransformHost,
  inspectArtifact,
  invokeTransform,
  parsePluginRef,
  pluginArn,
} from './plugins';
export type {
  ArtifactKind,
  NewVersionNotice,
  PluginRef,
  PluginRegistryOptions,
  PublishPlugin,
  ResolvedPlugin,
  TransformContext,
  TransformHostOptions,
  TransformResult,
} from './plugins';
// The JetStream readers and ownership the analytics runtime reuses.
export { DeliveryOwnership } from './pipeline/delivery-ownership';
export { StreamShardSource } from './pipeline/stream-shard-source';
export { DirectPutSource } from './pipeline/direct-put-source';
export type { ParentsDelivered } from './pipeline/stream-shard-source';
export type { RecordSource, SourceFollower } from './pipeline/ordered-source';
export type { SourceMessage } from './pipeline/batch';
export { CoalescedTask } from './pipeline/coalesced-task';
