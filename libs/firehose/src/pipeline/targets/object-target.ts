/**
 * The ExtendedS3 destination (an S3-compatible store, or a directory): process the batch,
 * split it by evaluated prefix (dynamic partitioning, or the time prefix), convert each
 * group to Parquet or concatenate and compress it, and write one object per group; failed
 * records go to the error output. Every name derives from the source positions the object
 * holds, so a batch redone after a crash overwrites its objects: exactly once.
 */
import type { FailedRecord, ObjectStore } from '../../model';
import { codecFor, type CompressionFormat } from '../../format/compression';
import { toParquet, type ParquetConversion } from '../../format/parquet';
import { groupByPrefix } from '../../partitioning/group';
import { objectName } from '../../partitioning/object-name';
import type { ResolvedPrefixes } from '../../partitioning/prefixes';
import type { DeliveryBatch, DeliveryTarget } from '../batch';
import { writeErrorOutput } from './error-output';
import { processBatch, type BatchProcessing } from './process-batch';
import type { DeliveryMetrics } from './delivery-metrics';

export interface ObjectTargetOptions {
  store: ObjectStore;
  bucket: string;
  deliveryStreamName: string;
  deliveryStreamVersion: number;
  prefixes: ResolvedPrefixes;
  compression: CompressionFormat;
  /** Parquet conversion (DataFormatConversionConfiguration); objects are then not compressed as a whole. */
  conversion?: ParquetConversion & { table?: { databaseName?: string; tableName?: string } };
  processing: BatchProcessing;
  metrics: DeliveryMetrics;
  now(): number;
}

/** Objects of one batch written at once. */
const PARALLEL_PUTS = 4;

export class ObjectTarget implements DeliveryTarget {
  constructor(private readonly options: ObjectTargetOptions) {}

  async deliver(batch: DeliveryBatch): Promise<void> {
    const o = this.options;
    const processed = await processBatch(batch.records, o.processing);
    o.metrics.processed(processed, batch.records.length);
    const failed: FailedRecord[] = [...processed.failed];
    const grouping = groupByPrefix(processed.records, o.prefixes.data);
    failed.push(...grouping.failed);
    let delivered = 0;
    let bytes = 0;
    const puts = grouping.groups.map((group) => async () => {
      const object = await this.encode(group.records);
      failed.push(...object.failed);
      if (!object.body) return;
      const key = objectName({
        prefix: group.prefix,
        deliveryStreamName: o.deliveryStreamName,
        deliveryStreamVersion: o.deliveryStreamVersion,
        records: object.records,
        extension: object.extension,
      });
      await o.store.put({ bucket: o.bucket, key, body: object.body, contentType: object.contentType, contentEncoding: object.contentEncoding });
      delivered += object.records.length;
      bytes += object.body.length;
    });
    await inParallel(puts, PARALLEL_PUTS);
    await writeErrorOutput(
      { store: o.store, bucket: o.bucket, prefix: o.prefixes.error, deliveryStreamName: o.deliveryStreamName, deliveryStreamVersion: o.deliveryStreamVersion },
      failed,
      { attemptEndingTimestamp: o.now(), lambdaArn: o.processing.transform?.functionArn, dataCatalogTable: o.conversion?.table },
    );
    o.metrics.delivered('S3', delivered, bytes, batch.timestamp, o.now());
    o.metrics.failed(failed.length);
  }

  private async encode(records: DeliveryBatch['records']) {
    const { conversion, compression } = this.options;
    if (conversion) {
      const result = await toParquet(records, conversion);
      return { ...result, extension: '.parquet', contentType: 'application/octet-stream', contentEncoding: undefined };
    }
    const codec = codecFor(compression);
    const body = await codec.compress(Buffer.concat(records.map((r) => r.data)), 'data');
    return { body, records, failed: [], extension: codec.extension, contentType: 'application/octet-stream', contentEncoding: undefined };
  }
}

/** Runs tasks, at most `limit` at a time; the first failure rejects (after the running ones settle). */
export async function inParallel(tasks: Array<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < tasks.length && errors.length === 0) {
      const task = tasks[next++];
      await task().catch((err) => errors.push(err));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (errors.length) throw errors[0];
}
