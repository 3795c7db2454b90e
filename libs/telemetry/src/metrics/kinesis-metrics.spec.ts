import { KINESIS_METRICS, KinesisMetrics } from './kinesis-metrics';
import { Registry } from 'prom-client';
import { parsePrometheusText } from './prometheus-text';

describe('KinesisMetrics', () => {
  function setup() {
    const registry = new Registry();
    return { registry, metrics: new KinesisMetrics(registry), samples: async () => parsePrometheusText(await registry.metrics()) };
  }

  it('counts per stream when the stream has no enhanced monitoring', async () => {
    const { metrics, samples } = setup();
    const meters = metrics.of({ id: 'id-s', name: 's', enhancedMonitoring: [] });
    meters.written('shardId-000000000000', 10, 1000);
    meters.written('shardId-000000000001', 5, 500);
    meters.writeThrottled('shardId-000000000001', 2);
    meters.readThrottled('shardId-000000000000');
    meters.read('shardId-000000000000', 3, 1234);

    const s = await samples();
    expect(s.get('kinesis_incoming_records_total{stream="s"}')).toBe(15);
    expect(s.get('kinesis_incoming_bytes_total{stream="s"}')).toBe(1500);
    expect(s.get('kinesis_write_provisioned_throughput_exceeded_total{stream="s"}')).toBe(2);
    expect(s.get('kinesis_read_provisioned_throughput_exceeded_total{stream="s"}')).toBe(1);
    expect(s.get('kinesis_get_records_iterator_age_milliseconds{stream="s"}')).toBe(1234);
    expect(s.get('kinesis_get_records_records_total{stream="s"}')).toBe(3);
  });

  it('adds a shard label to the metrics enhanced monitoring turned on, and only to those', async () => {
    const { metrics, samples } = setup();
    const meters = metrics.of({ id: 'id-e', name: 'e', enhancedMonitoring: ['IncomingRecords', 'WriteProvisionedThroughputExceeded'] });
    meters.written('shardId-000000000000', 10, 1000);
    meters.written('shardId-000000000001', 5, 500);
    meters.writeThrottled('shardId-000000000001', 2);

    const s = await samples();
    expect(s.get('kinesis_incoming_records_total{stream="e",shard="shardId-000000000000"}')).toBe(10);
    expect(s.get('kinesis_incoming_records_total{stream="e",shard="shardId-000000000001"}')).toBe(5);
    expect(s.get('kinesis_incoming_bytes_total{stream="e"}')).toBe(1500);
    expect(s.get('kinesis_write_provisioned_throughput_exceeded_total{stream="e",shard="shardId-000000000001"}')).toBe(2);
  });

  it('keeps a stream meters while its monitoring is the same, and rebuilds them when it changes', async () => {
    const { metrics, samples } = setup();
    const first = metrics.of({ id: 'id-s', name: 's', enhancedMonitoring: [] });
    expect(metrics.of({ id: 'id-s', name: 's', enhancedMonitoring: [] })).toBe(first);
    first.written('shardId-000000000000', 1, 10);
    const enhanced = metrics.of({ id: 'id-s', name: 's', enhancedMonitoring: ['IncomingRecords'] });
    expect(enhanced).not.toBe(first);
    enhanced.written('shardId-000000000000', 2, 20);

    const s = await samples();
    expect(s.get('kinesis_incoming_records_total{stream="s"}')).toBe(1);
    expect(s.get('kinesis_incoming_records_total{stream="s",shard="shardId-000000000000"}')).toBe(2);
    expect(s.get('kinesis_incoming_bytes_total{stream="s"}')).toBe(30);
  });

  it('records put latency and SubscribeToShard events per consumer', async () => {
    const { metrics, samples } = setup();
    const meters = metrics.of({ id: 'id-s', name: 's', enhancedMonitoring: [] });
    meters.putLatency(0.003);
    meters.subscribeEvent('c1', 7, 250);
    meters.subscribeEvent('c1', 3, 0);

    const s = await samples();
    expect(s.get('kinesis_put_records_latency_seconds_count{stream="s"}')).toBe(1);
    expect(s.get('kinesis_put_records_latency_seconds_bucket{le="0.005",stream="s"}')).toBe(1);
    expect(s.get('kinesis_subscribe_to_shard_event_millis_behind_latest{stream="s",consumer="c1"}')).toBe(0);
    expect(s.get('kinesis_subscribe_to_shard_event_records_total{stream="s",consumer="c1"}')).toBe(10);
  });

  it('forgets a deleted stream: every series labelled with its name goes, other streams keep theirs', async () => {
    const { metrics, samples } = setup();
    const gone = metrics.of({ id: 'id-g', name: 'g', enhancedMonitoring: ['IncomingRecords'] });
    gone.written('shardId-000000000000', 4, 40);
    gone.putLatency(0.002);
    gone.read('shardId-000000000000', 1, 5);
    gone.subscribeEvent('c1', 2, 0);
    const kept = metrics.of({ id: 'id-k', name: 'k', enhancedMonitoring: [] });
    kept.written('shardId-000000000000', 3, 30);
    expect(metrics.tracks('id-g')).toBe(true);

    await metrics.forget('id-g');
    const s = await samples();
    expect([...s.keys()].filter((k) => k.includes('stream="g"'))).toEqual([]);
    expect(s.get('kinesis_incoming_records_total{stream="k"}')).toBe(3);
    expect(metrics.tracks('id-g')).toBe(false);
    expect(metrics.tracks('id-k')).toBe(true);

    // A stream made again under the name starts from zero.
    metrics.of({ id: 'id-g2', name: 'g', enhancedMonitoring: [] }).written('shardId-000000000000', 1, 10);
    expect((await samples()).get('kinesis_incoming_records_total{stream="g"}')).toBe(1);
  });

  it('names each metric after a CloudWatch metric, shard-level ones after an enhanced monitoring metric', () => {
    const shardLevel = ['IncomingBytes', 'IncomingRecords', 'OutgoingBytes', 'OutgoingRecords', 'WriteProvisionedThroughputExceeded', 'ReadProvisionedThroughputExceeded', 'IteratorAgeMilliseconds'];
    for (const definition of Object.values(KINESIS_METRICS)) {
      expect(definition.name).toMatch(/^kinesis_[a-z_]+$/);
      expect(definition.cloudwatchName).toMatch(/^[A-Z][A-Za-z.]+$/);
      if ('shardLevel' in definition) expect(shardLevel).toContain(definition.shardLevel);
    }
  });
});
