import { Registry } from 'prom-client';
import { ANALYTICS_METRICS, AnalyticsMetrics } from './analytics-metrics';
import { parsePrometheusText } from './prometheus-text';

const scrape = async (registry: Registry) => parsePrometheusText(await registry.metrics());

describe('AnalyticsMetrics', () => {
  it('registers its families once per registry, whatever number of runtimes ask', async () => {
    const registry = new Registry();
    expect(AnalyticsMetrics.on(registry)).toBe(AnalyticsMetrics.on(registry));
    const text = await registry.metrics();
    for (const definition of Object.values(ANALYTICS_METRICS)) expect(text).toContain(`# HELP ${definition.name} `);
  });

  it('reports the slowest shard, the peak since the previous scrape, 0 at the tip', async () => {
    const registry = new Registry();
    const meters = AnalyticsMetrics.on(registry).application('app', 'in');
    const lag = 'analytics_input_millis_behind_latest{application="app",input="in"}';
    meters.readMessage('shardId-000000000000', 500, 1_000, 3, 5_000);
    meters.readMessage('shardId-000000000001', 10, 4_000, 1, 5_000);
    meters.readMessage('shardId-000000000000', 500, 4_500, 0, 5_000);
    // Shard 0 caught up; shard 1 is still 1 s behind; the scrape shows the 4 s peak once.
    expect((await scrape(registry)).get(lag)).toBe(4_000);
    expect((await scrape(registry)).get(lag)).toBe(1_000);
    meters.readMessage('shardId-000000000001', 10, 4_900, 0, 5_000);
    expect((await scrape(registry)).get(lag)).toBe(1_000);
    expect((await scrape(registry)).get(lag)).toBe(0);
    expect((await scrape(registry)).get('analytics_input_records_total{application="app",input="in"}')).toBe(1_020);
  });

  it('counts rows per output and drops the lag series when the application stops here', async () => {
    const registry = new Registry();
    const meters = AnalyticsMetrics.on(registry).application('app', 'in');
    meters.wrote('stream:OUT', 3);
    meters.wrote('stream:OUT', 2);
    meters.close();
    const samples = await scrape(registry);
    expect(samples.get('analytics_output_records_total{application="app",output="stream:OUT"}')).toBe(5);
    expect(samples.has('analytics_input_millis_behind_latest{application="app",input="in"}')).toBe(false);
  });
});
