export { backoffDelay, retryWithBackoff, systemClock, INITIAL_BACKOFF_MS, MAX_BACKOFF_MS, BACKOFF_JITTER } from './backoff';
export type { DeliveryClock, AttemptFailure, RetriesExhausted } from './backoff';
export {
  HTTP_ENDPOINT_BUFFERING,
  HTTP_ENDPOINT_RETRY_DURATION,
  HTTP_ENDPOINT_REQUEST_TIMEOUT_MS,
  HTTP_ENDPOINT_MAX_RESPONSE_BYTES,
  REDSHIFT_RETRY_DURATION,
} from './config';
export type {
  HttpEndpointDestinationSettings,
  RedshiftDestinationSettings,
  S3DestinationSettings,
  S3ConnectionSettings,
} from './config';
export { DirectoryObjectStore } from './directory-object-store';
export { S3ObjectStore, bucketFromArn, s3ObjectStoreFrom, s3DeliveryError } from './s3-object-store';
export { HttpEndpointDelivery, HttpEndpointDeliveryError, httpEndpointDeliveryFrom } from './http-endpoint-delivery';
export type { HttpEndpointBatch, HttpEndpointDeliveryOptions, HttpEndpointErrorCode } from './http-endpoint-delivery';
export { PostgresCopyDelivery, postgresCopyDeliveryFrom, postgresDeliveryError } from './postgres-copy-delivery';
export type { PostgresCopyBatch, PostgresCopyDeliveryOptions } from './postgres-copy-delivery';
export { parseCopyOptions } from './redshift/copy-options';
export type { RowFormat } from './redshift/copy-options';
export { connectionFromJdbcUrl } from './redshift/jdbc-url';
