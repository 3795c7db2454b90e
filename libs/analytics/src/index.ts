// Analytics: applications of continuous SQL (libs/sql) over Shardline streams, run for real —
// records to rows, outputs, checkpoints, ownership — with no Nest.
export { AnalyticsControl } from './analytics-control';
export type { ApplicationDescription, ApplicationUpdate, NewApplication } from './analytics-control';
export { AnalyticsRuntime } from './analytics-runtime';
export type { AnalyticsRuntimeDeps } from './analytics-runtime';
export { ApplicationRunner, compileStored } from './application-runner';
export { ANALYTICS_CHANGED_SUBJECT, liveSubject, subscribeLive } from './live';
export {
  analyticsInput,
  analyticsOutput,
  ERROR_STREAM,
  inputColumn,
  inputTime,
  LATE_STREAM,
  previewInput,
  referenceTable,
  SOURCE_STREAM,
  STARTING_POSITIONS,
} from './model';
export type { AnalyticsCheckpoint, AnalyticsInput, AnalyticsOutput, PreviewInput, StartingPosition } from './model';
export { DIRECT_PUT_POSITION, resolveInput } from './input-source';
export type { InputLookups, ResolvedInput } from './input-source';
export { ARRIVAL_COLUMN, rowMapper, sourceDefinition } from './row-mapping';
export { splitCsv } from './csv';
export { discoverSchema } from './schema-discovery';
export type { DiscoveredColumn, DiscoveredFormat, DiscoveredSchema } from './schema-discovery';
export { OutputQueue } from './outputs/sink';
export type { RowSink } from './outputs/sink';
export { PostgresSink } from './outputs/postgres-sink';
export { WebhookSink } from './outputs/webhook-sink';
export { StreamSink } from './outputs/stream-sink';
export { DeliveryStreamSink } from './outputs/delivery-stream-sink';
export { isBareSelect, PREVIEW_STREAM } from './preview';
export type { PreviewRequest, PreviewResult } from './preview';
export { openDirectPut } from './outputs/direct-put';
export type { DirectPut } from './outputs/direct-put';
export { referenceTables, tableDefinitions } from './reference-tables';
export type { ReferenceTables } from './reference-tables';
