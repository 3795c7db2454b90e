/**
 * Firehose's delivery metrics for one delivery stream, named as CloudWatch names them
 * (IncomingRecords, DeliveryToS3.Records, DeliveryToS3.DataFreshness, ExecuteProcessing.Duration,
 * SucceedProcessing.Records, ...). Counters and last values in memory; the metrics endpoint
 * of the platform reads `snapshot()`.
 */
import type { ProcessedBatch } from './process-batch';

export type DeliveryKind = 'S3' | 'HttpEndpoint' | 'Redshift';

const DELIVERY_KINDS: readonly DeliveryKind[] = ['S3', 'HttpEndpoint', 'Redshift'];

/** Every CloudWatch name a DeliveryMetrics can hold (the metrics endpoint exports each). */
export const DELIVERY_METRIC_NAMES: readonly string[] = [
  'IncomingRecords',
  'IncomingBytes',
  'ExecuteProcessing.Duration',
  'ExecuteProcessing.Success',
  'SucceedProcessing.Records',
  'DroppedProcessing.Records',
  'ProcessedRecords',
  'FailedRecords',
  ...DELIVERY_KINDS.flatMap((kind) => ['Records', 'Bytes', 'Success', 'DataFreshness'].map((name) => `DeliveryTo${kind}.${name}`)),
];

export class DeliveryMetrics {
  private readonly values = new Map<string, number>();

  /** Records read from the source (the pipeline's view of IncomingRecords/IncomingBytes). */
  incoming(records: number, bytes: number): void {
    this.add('IncomingRecords', records);
    this.add('IncomingBytes', bytes);
  }

  processed(batch: ProcessedBatch, input: number): void {
    if (batch.transformMs > 0) {
      this.set('ExecuteProcessing.Duration', Math.round(batch.transformMs));
      this.add('ExecuteProcessing.Success', 1);
    }
    this.add('SucceedProcessing.Records', batch.records.length);
    this.add('DroppedProcessing.Records', batch.dropped);
    this.add('ProcessedRecords', input);
  }

  /** A batch reached the destination; freshness is the age of its oldest record. */
  delivered(kind: DeliveryKind, records: number, bytes: number, oldestArrival: number, now: number): void {
    this.add(`DeliveryTo${kind}.Records`, records);
    this.add(`DeliveryTo${kind}.Bytes`, bytes);
    this.add(`DeliveryTo${kind}.Success`, 1);
    this.set(`DeliveryTo${kind}.DataFreshness`, Math.max(0, Math.round((now - oldestArrival) / 1000)));
  }

  failed(records: number): void {
    this.add('FailedRecords', records);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.values].sort(([a], [b]) => a.localeCompare(b)));
  }

  private add(name: string, n: number): void {
    this.values.set(name, (this.values.get(name) ?? 0) + n);
  }

  private set(name: string, value: number): void {
    this.values.set(name, value);
  }
}
