/**
 * The Redshift destination, pointed at Postgres: processed records are loaded with COPY,
 * once per batch id (the load is recorded in the target database in the same transaction),
 * rows that do not load go to the S3 backup as redshift-failed. A load that fails as a whole
 * (database down) is retried until RetryOptions' duration, then its records go there too.
 */
import type { DeliveryError } from '../../model';
import type { DeliveryClock, PostgresCopyDelivery } from '../../destinations';
import { retryWithBackoff } from '../../destinations';
import type { DeliveryBatch, DeliveryTarget } from '../batch';
import { backUpAndProcess, errorOutputOf, type BackupBucket } from './backup';
import type { DeliveryMetrics } from './delivery-metrics';
import { writeErrorOutput } from './error-output';
import type { BatchProcessing } from './process-batch';

export interface RedshiftTargetOptions {
  deliveryStreamId: string;
  delivery: PostgresCopyDelivery;
  backup: BackupBucket;
  processing: BatchProcessing;
  retryDurationMs: number;
  clock: DeliveryClock;
  metrics: DeliveryMetrics;
}

export class RedshiftTarget implements DeliveryTarget {
  constructor(private readonly options: RedshiftTargetOptions) {}

  async deliver(batch: DeliveryBatch): Promise<void> {
    const o = this.options;
    const processed = await backUpAndProcess(o.backup, batch, o.processing, o.metrics);
    const failed = processed.failed;
    if (processed.records.length > 0) {
      const load = () => o.delivery.deliver({ batchId: `${o.deliveryStreamId}/${batch.id}`, records: processed.records });
      const outcome = await retryWithBackoff(load, (error) => ({ error: error as Error, retryable: (error as DeliveryError).retryable !== false }), {
        durationMs: o.retryDurationMs,
        clock: o.clock,
        onGiveUp: (end) => new GaveUp(end.lastError, end.attemptsMade),
      }).catch((err: unknown) => (err instanceof GaveUp ? err : Promise.reject(err)));
      if (outcome instanceof GaveUp) {
        const errorCode = (outcome.cause as DeliveryError).errorCode ?? 'Redshift.ConnectionFailed';
        for (const record of processed.records) {
          failed.push({ record, type: 'redshift-failed', errorCode, errorMessage: outcome.cause.message, attemptsMade: outcome.attemptsMade });
        }
      } else {
        failed.push(...outcome.failed);
        const loaded = processed.records.length - outcome.failed.length;
        o.metrics.delivered('Redshift', loaded, processed.records.reduce((n, r) => n + r.data.length, 0), batch.timestamp, o.clock.now());
      }
    }
    await writeErrorOutput(errorOutputOf(o.backup), failed, { attemptEndingTimestamp: o.clock.now(), lambdaArn: o.processing.transform?.functionArn });
    o.metrics.failed(failed.length);
  }
}

/** The load was given up: its records go to the error output. */
class GaveUp extends Error {
  constructor(
    readonly cause: Error,
    readonly attemptsMade: number,
  ) {
    super(cause.message);
  }
}
