/**
 * The one list of Firehose operations: it drives the gateway's routing of
 * `X-Amz-Target: Firehose_20150804.<name>`.
 */
import { createDeliveryStream } from './create-delivery-stream';
import { deleteDeliveryStream } from './delete-delivery-stream';
import { describeDeliveryStream } from './describe-delivery-stream';
import { startDeliveryStreamEncryption, stopDeliveryStreamEncryption } from './encryption';
import { listDeliveryStreams } from './list-delivery-streams';
import type { FirehoseOperation } from './operation';
import { putRecord, putRecordBatch } from './put-record';
import { listTagsForDeliveryStream, tagDeliveryStream, untagDeliveryStream } from './tag-operations';
import { updateDestination } from './update-destination';

const operations = [
  createDeliveryStream,
  deleteDeliveryStream,
  describeDeliveryStream,
  listDeliveryStreams,
  updateDestination,
  putRecord,
  putRecordBatch,
  tagDeliveryStream,
  untagDeliveryStream,
  listTagsForDeliveryStream,
  startDeliveryStreamEncryption,
  stopDeliveryStreamEncryption,
] as const;

export const FIREHOSE_TARGET_PREFIX = 'Firehose_20150804.';

/** Firehose operations by name (the part of X-Amz-Target after `Firehose_20150804.`). */
export const firehoseOperations: ReadonlyMap<string, FirehoseOperation> = new Map(
  operations.map((operation): [string, FirehoseOperation] => [operation.name, operation as FirehoseOperation]),
);
