/**
 * The S3 backup of a destination that is not S3 (HTTP endpoint, Redshift): its
 * S3Configuration names the bucket where failed records go (error output) and, with
 * S3BackupMode AllData / Enabled, where every source record is also kept.
 */
import type { FailedRecord, FirehoseRecord, ObjectStore } from '../../model';
import type { DeliveryBatch } from '../batch';
import type { DeliveryMetrics } from './delivery-metrics';
import { processBatch, type BatchProcessing } from './process-batch';
import { codecFor, type CompressionFormat } from '../../format/compression';
import { groupByPrefix } from '../../partitioning/group';
import { objectName } from '../../partitioning/object-name';
import type { ResolvedPrefixes } from '../../partitioning/prefixes';
import type { ErrorOutput } from './error-output';

export interface BackupBucket {
  store: ObjectStore;
  bucket: string;
  prefixes: ResolvedPrefixes;
  compression: CompressionFormat;
  deliveryStreamName: string;
  deliveryStreamVersion: number;
  /** Keep every source record, not only the failed ones. */
  allData: boolean;
}

export function errorOutputOf(backup: BackupBucket): ErrorOutput {
  return {
    store: backup.store,
    bucket: backup.bucket,
    prefix: backup.prefixes.error,
    deliveryStreamName: backup.deliveryStreamName,
    deliveryStreamVersion: backup.deliveryStreamVersion,
  };
}

/** Writes the source records as they arrived (AllData backup), one object per prefix. */
export async function backUpAll(backup: BackupBucket, records: readonly FirehoseRecord[]): Promise<void> {
  if (!backup.allData || records.length === 0) return;
  const codec = codecFor(backup.compression);
  for (const group of groupByPrefix(records, backup.prefixes.data).groups) {
    const key = objectName({
      prefix: group.prefix,
      deliveryStreamName: backup.deliveryStreamName,
      deliveryStreamVersion: backup.deliveryStreamVersion,
      records: group.records,
      extension: codec.extension,
    });
    await backup.store.put({ bucket: backup.bucket, key, body: await codec.compress(Buffer.concat(group.records.map((r) => r.data)), 'data') });
  }
}

/** What a target with an S3 backup does first: keep the source records (AllData), then process the batch. */
export async function backUpAndProcess(
  backup: BackupBucket,
  batch: DeliveryBatch,
  processing: BatchProcessing,
  metrics: DeliveryMetrics,
): Promise<{ records: FirehoseRecord[]; failed: FailedRecord[] }> {
  await backUpAll(backup, batch.records);
  const processed = await processBatch(batch.records, processing);
  metrics.processed(processed, batch.records.length);
  return { records: processed.records, failed: [...processed.failed] };
}
