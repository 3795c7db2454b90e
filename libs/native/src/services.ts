import { AnalyticsControl, subscribeLive } from '@shardline/analytics';
import { PluginCatalog } from '@shardline/firehose';
import type { Platform } from '@shardline/streams';
import { startPosition } from '@shardline/streams';
import { ReadCursorCodec } from './cursors';
import type { MetricSample, NativeDelivery, NativeServices } from './operation';

/** The native operations' view of a platform: its backend, directory, reader and append notices. */
export function nativeServices(platform: Platform, extras: { delivery?: NativeDelivery } = {}): NativeServices {
  return {
    backend: platform.backend,
    activeStream: async (name) => (await platform.directory.active({ name })).stream,
    streamById: (streamId) => platform.directory.byId(streamId),
    read: (shard, from, limit) => platform.reader.read(shard, from, limit),
    startPosition: (stream, shard, request) => startPosition(platform.store, stream, shard, request),
    watch: (shard, listener) => platform.notices.watch(shard, () => listener()),
    cursors: new ReadCursorCodec(platform.config.iteratorSecret),
    groups: platform.groups,
    members: platform.hostedMembers,
    now: platform.clock,
    analytics: new AnalyticsControl(platform.dataSource, platform.nc, (name) => platform.directory.active({ name }).then((e) => e.stream).catch(() => undefined), platform.config.databaseUrl, platform.dataKeys.forReading),
    subscribeLive: (application, stream, onRow) => {
      const subscription = subscribeLive(platform.nc, application, stream, onRow);
      return () => subscription.unsubscribe();
    },
    metrics: () => registrySamples(platform),
    ...(extras.delivery ? { delivery: extras.delivery } : {}),
    plugins: { catalog: new PluginCatalog(platform.dataSource), region: platform.config.region, accountId: platform.config.accountId },
  };
}

/** Every series of the platform's registry (histograms as their bucket, sum and count series). */
async function registrySamples(platform: Platform): Promise<MetricSample[]> {
  const metrics = await platform.registry.getMetricsAsJSON();
  return metrics.flatMap((metric) =>
    metric.values.map((v) => ({ name: (v as { metricName?: string }).metricName ?? metric.name, labels: { ...v.labels }, value: v.value })),
  );
}
