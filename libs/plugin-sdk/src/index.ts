// @shardline/plugin-sdk: Firehose transform types, helpers, and the runtime that runs a
// transform in its own process (the Shardline host and `shardline transform test` share it).
export type {
  Callback,
  Context,
  FirehoseRecordMetadata,
  FirehoseRecordTransformationStatus,
  FirehoseTransformationCallback,
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationHandler,
  FirehoseTransformationMetadata,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from './types';
export { defineTransform, dropped, ok, processingFailed, transformRecords } from './define-transform';
export type { RecordAnswer, RecordTransform, TransformFunction } from './define-transform';
export { TransformBatchError } from './runtime/errors';
export { PluginProcess } from './runtime/plugin-process';
export type { PluginSpec } from './runtime/plugin-process';
export { ProcessPool } from './runtime/process-pool';
export { invocationOf, outcomeOf } from './runtime/contract';
export type { TransformInputRecord, TransformOutcome, TransformedRecord } from './runtime/contract';
export type { EventEnvelope, InvokePayload, ResultPayload } from './runtime/protocol';
export { resolveEntry } from './runtime/entry';
export { DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, runTransform } from './local-runner';
export type { LocalRunOptions } from './local-runner';
