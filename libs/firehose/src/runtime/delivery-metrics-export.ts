/**
 * Firehose delivery metrics (AWS/Firehose namespace) on a Prometheus registry: each
 * CloudWatch name a DeliveryMetrics keeps (IncomingRecords, DeliveryToS3.Records,
 * DeliveryToS3.DataFreshness, ...) becomes `firehose_<snake_case>` with a `delivery_stream`
 * label. Counters end in `_total`; DataFreshness is a gauge in seconds and
 * ExecuteProcessing.Duration a gauge in milliseconds, as CloudWatch measures them. Values
 * are read from the delivery streams' DeliveryMetrics at each scrape, so delivery code
 * keeps counting in plain numbers.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { DELIVERY_METRIC_NAMES } from '../pipeline/targets/delivery-metrics';

/** One delivery stream's metrics as DeliveryMetrics.snapshot() answers them, by CloudWatch name. */
export interface DeliveryStreamMetrics {
  deliveryStream: string;
  values: Record<string, number>;
}

/** CloudWatch names that are last values rather than counts, and the unit their Prometheus name ends in. */
const GAUGE_UNITS: Record<string, string> = {
  DataFreshness: 'seconds',
  Duration: 'milliseconds',
};

/** The Prometheus name and type of a Firehose CloudWatch metric name. */
export function firehoseMetricName(cloudwatchName: string): { name: string; type: 'counter' | 'gauge' } {
  const parts = cloudwatchName.split('.');
  const snake = parts.map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()).join('_');
  const unit = GAUGE_UNITS[parts[parts.length - 1]!];
  return unit ? { name: `firehose_${snake}_${unit}`, type: 'gauge' } : { name: `firehose_${snake}_total`, type: 'counter' };
}

/**
 * Registers one family per Firehose CloudWatch name; each scrape refills them from
 * `source()` (the delivery streams this process delivers). Answers how to unregister them.
 */
export function exportDeliveryMetrics(registry: Registry, source: () => DeliveryStreamMetrics[]): () => void {
  const names = DELIVERY_METRIC_NAMES.map((cloudwatchName) => {
    const { name, type } = firehoseMetricName(cloudwatchName);
    const help = `Firehose ${cloudwatchName} per delivery stream (CloudWatch AWS/Firehose ${cloudwatchName}).`;
    const common = { name, help, labelNames: ['delivery_stream'], registers: [registry] };
    if (type === 'gauge') {
      new Gauge({
        ...common,
        collect(this: Gauge<string>) {
          this.reset();
          for (const { deliveryStream, values } of source()) {
            if (cloudwatchName in values) this.set({ delivery_stream: deliveryStream }, values[cloudwatchName]!);
          }
        },
      });
    } else {
      new Counter({
        ...common,
        // DeliveryMetrics keeps totals: the counter is refilled with them rather than incremented.
        collect(this: Counter<string>) {
          this.reset();
          for (const { deliveryStream, values } of source()) {
            if (cloudwatchName in values) this.inc({ delivery_stream: deliveryStream }, values[cloudwatchName]!);
          }
        },
      });
    }
    return name;
  });
  return () => names.forEach((name) => registry.removeSingleMetric(name));
}
