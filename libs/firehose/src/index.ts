export * from './model';
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
