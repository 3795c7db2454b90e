/**
 * The one list of Kinesis operations: it drives the gateway's routing. The gateway parses
 * the JSON body, looks the operation up by the X-Amz-Target suffix, and calls
 * `runOperation`, which validates and executes.
 */
import type { KinesisBackend } from '../domain';
import { validate, type WireFormat } from '../validation/engine';
import { addTagsToStream } from './add-tags-to-stream';
import { createStream } from './create-stream';
import { decreaseStreamRetentionPeriod } from './decrease-stream-retention-period';
import { deleteStream } from './delete-stream';
import { describeLimits } from './describe-limits';
import { deregisterStreamConsumer } from './deregister-stream-consumer';
import { describeStream } from './describe-stream';
import { describeStreamConsumer } from './describe-stream-consumer';
import { describeStreamSummary } from './describe-stream-summary';
import { disableEnhancedMonitoring } from './disable-enhanced-monitoring';
import { enableEnhancedMonitoring } from './enable-enhanced-monitoring';
import { getRecords } from './get-records';
import { getShardIterator } from './get-shard-iterator';
import { increaseStreamRetentionPeriod } from './increase-stream-retention-period';
import { listShards } from './list-shards';
import { listStreamConsumers } from './list-stream-consumers';
import { listStreams } from './list-streams';
import { listTagsForStream } from './list-tags-for-stream';
import { mergeShards } from './merge-shards';
import type { Operation, OperationContext } from './operation';
import { putRecord } from './put-record';
import { putRecords } from './put-records';
import { registerStreamConsumer } from './register-stream-consumer';
import { removeTagsFromStream } from './remove-tags-from-stream';
import { splitShard } from './split-shard';
import { startStreamEncryption } from './start-stream-encryption';
import { stopStreamEncryption } from './stop-stream-encryption';
import { updateShardCount } from './update-shard-count';
import { updateStreamMode } from './update-stream-mode';
import { deleteResourcePolicy } from './delete-resource-policy';
import { getResourcePolicy } from './get-resource-policy';
import { listTagsForResource } from './list-tags-for-resource';
import { putResourcePolicy } from './put-resource-policy';
import { tagResource } from './tag-resource';
import { untagResource } from './untag-resource';
import { updateMaxRecordSize } from './update-max-record-size';
import { subscribeToShard } from './subscribe-to-shard';

/** Every operation, each typed by its own input and output. */
const operations = [
  addTagsToStream,
  createStream,
  decreaseStreamRetentionPeriod,
  deleteStream,
  describeLimits,
  deregisterStreamConsumer,
  describeStream,
  describeStreamConsumer,
  describeStreamSummary,
  disableEnhancedMonitoring,
  enableEnhancedMonitoring,
  getRecords,
  getShardIterator,
  increaseStreamRetentionPeriod,
  listShards,
  listStreamConsumers,
  listStreams,
  listTagsForStream,
  mergeShards,
  putRecord,
  putRecords,
  registerStreamConsumer,
  removeTagsFromStream,
  splitShard,
  startStreamEncryption,
  stopStreamEncryption,
  updateShardCount,
  updateStreamMode,
  // Resources by ARN and per-stream record size.
  deleteResourcePolicy,
  getResourcePolicy,
  listTagsForResource,
  putResourcePolicy,
  tagResource,
  untagResource,
  updateMaxRecordSize,
  subscribeToShard,
] as const;

/** Kinesis operations by name (the part of X-Amz-Target after `Kinesis_20131202.`). */
export const kinesisOperations: ReadonlyMap<string, Operation> = new Map(
  operations.map((operation): [string, Operation] => [operation.name, operation]),
);

/**
 * Validates a parsed JSON body against the operation's table and executes it. Throws
 * ShardlineError (SerializationException, ValidationException, or the backend's own).
 */
/** The JSON text of an operation's output (UTF-8 bytes where the operation writes them itself). */
export function serializeOutput<I, O>(operation: Operation<I, O>, output: O): string | Uint8Array {
  return operation.serialize ? operation.serialize(output) : JSON.stringify(output);
}

export async function runOperation<I, O>(
  operation: Operation<I, O>,
  backend: KinesisBackend,
  body: unknown,
  ctx: OperationContext,
  format: WireFormat = 'json',
): Promise<O> {
  const input = validate(operation.validation, body, format);
  return operation.execute(backend, input, ctx);
}
