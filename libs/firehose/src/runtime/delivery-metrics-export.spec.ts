import { Registry } from 'prom-client';
import { parsePrometheusText } from '@shardline/telemetry';
import { DELIVERY_METRIC_NAMES, DeliveryMetrics } from '../pipeline/targets/delivery-metrics';
import { exportDeliveryMetrics, firehoseMetricName, type DeliveryStreamMetrics } from './delivery-metrics-export';

describe('firehoseMetricName', () => {
  it.each([
    ['IncomingRecords', 'firehose_incoming_records_total', 'counter'],
    ['DeliveryToS3.Records', 'firehose_delivery_to_s3_records_total', 'counter'],
    ['DeliveryToHttpEndpoint.Bytes', 'firehose_delivery_to_http_endpoint_bytes_total', 'counter'],
    ['DeliveryToS3.DataFreshness', 'firehose_delivery_to_s3_data_freshness_seconds', 'gauge'],
    ['ExecuteProcessing.Duration', 'firehose_execute_processing_duration_milliseconds', 'gauge'],
  ])('%s is %s (%s)', (cloudwatchName, name, type) => {
    expect(firehoseMetricName(cloudwatchName)).toEqual({ name, type });
  });
});

describe('exportDeliveryMetrics', () => {
  it('lists every name DeliveryMetrics counts', () => {
    const metrics = new DeliveryMetrics();
    metrics.incoming(1, 1);
    metrics.processed({ records: [], dropped: 0, transformMs: 1 } as never, 1);
    for (const kind of ['S3', 'HttpEndpoint', 'Redshift'] as const) metrics.delivered(kind, 1, 1, 0, 1000);
    metrics.failed(1);
    expect(DELIVERY_METRIC_NAMES).toEqual(expect.arrayContaining(Object.keys(metrics.snapshot())));
  });

  it('refills each family from the source at every scrape, and unregisters them', async () => {
    const registry = new Registry();
    let streams: DeliveryStreamMetrics[] = [
      { deliveryStream: 'a', values: { 'DeliveryToS3.Records': 10, 'DeliveryToS3.DataFreshness': 3 } },
      { deliveryStream: 'b', values: { 'DeliveryToS3.Records': 4 } },
    ];
    const stop = exportDeliveryMetrics(registry, () => streams);
    let samples = parsePrometheusText(await registry.metrics());
    expect(samples.get('firehose_delivery_to_s3_records_total{delivery_stream="a"}')).toBe(10);
    expect(samples.get('firehose_delivery_to_s3_records_total{delivery_stream="b"}')).toBe(4);
    expect(samples.get('firehose_delivery_to_s3_data_freshness_seconds{delivery_stream="a"}')).toBe(3);

    streams = [{ deliveryStream: 'b', values: { 'DeliveryToS3.Records': 6 } }];
    samples = parsePrometheusText(await registry.metrics());
    expect(samples.has('firehose_delivery_to_s3_records_total{delivery_stream="a"}')).toBe(false);
    expect(samples.get('firehose_delivery_to_s3_records_total{delivery_stream="b"}')).toBe(6);

    stop();
    expect(await registry.metrics()).not.toContain('firehose_');
  });
});
