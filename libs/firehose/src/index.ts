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
export type { FirehoseConfig } from './runtime/firehose-config';
export { DeliveryMetrics } from './pipeline/targets/delivery-metrics';
