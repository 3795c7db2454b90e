/**
 * The HTTP endpoint destination: the processed records of a batch go to the endpoint in
 * one request (Firehose's HTTP endpoint delivery spec, in destinations/), with a request id
 * derived from the batch so retries and redeliveries carry the same one. When the delivery
 * gives up (retry duration spent, or 413), the records go to the S3 backup as
 * http-endpoint-failed — except after a 413, which AWS does not back up.
 */
import { createHash } from 'node:crypto';
import type { HttpEndpointDelivery, HttpEndpointDeliveryError } from '../../destinations';
import type { DeliveryBatch, DeliveryTarget } from '../batch';
import { backUpAndProcess, errorOutputOf, type BackupBucket } from './backup';
import type { DeliveryMetrics } from './delivery-metrics';
import { writeErrorOutput } from './error-output';
import type { BatchProcessing } from './process-batch';

export interface HttpEndpointTargetOptions {
  deliveryStreamId: string;
  delivery: HttpEndpointDelivery;
  backup: BackupBucket;
  processing: BatchProcessing;
  metrics: DeliveryMetrics;
  now(): number;
}

export class HttpEndpointTarget implements DeliveryTarget {
  constructor(private readonly options: HttpEndpointTargetOptions) {}

  async deliver(batch: DeliveryBatch): Promise<void> {
    const o = this.options;
    const processed = await backUpAndProcess(o.backup, batch, o.processing, o.metrics);
    const failed = processed.failed;
    if (processed.records.length > 0) {
      try {
        await o.delivery.deliver({ requestId: requestIdOf(o.deliveryStreamId, batch.id), records: processed.records.map((r) => r.data) });
        o.metrics.delivered('HttpEndpoint', processed.records.length, processed.records.reduce((n, r) => n + r.data.length, 0), batch.timestamp, o.now());
      } catch (err) {
        const error = err as HttpEndpointDeliveryError;
        if (error.retryable !== false) throw err;
        if (!error.payloadTooLarge) {
          for (const record of processed.records) {
            failed.push({ record, type: 'http-endpoint-failed', errorCode: error.errorCode, errorMessage: error.message, attemptsMade: error.attemptsMade ?? 1 });
          }
        }
      }
    }
    await writeErrorOutput(errorOutputOf(o.backup), failed, { attemptEndingTimestamp: o.now(), lambdaArn: o.processing.transform?.functionArn });
    o.metrics.failed(failed.length);
  }
}

/** A UUID-shaped id from the delivery stream and the batch: the same batch, the same request id. */
export function requestIdOf(deliveryStreamId: string, batchId: string): string {
  const hex = createHash('sha256').update(`${deliveryStreamId}/${batchId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
