import { AnalyticsRuntime, openDirectPut } from '@shardline/analytics';
import type { Platform } from '@shardline/streams';
import type { JsonLogger } from '@shardline/telemetry';

/** The analytics role on an open platform: its NATS connection, metadata, stream directory and producer. */
export async function startAnalytics(platform: Platform, log: JsonLogger): Promise<{ runtime: AnalyticsRuntime; close(): Promise<void> }> {
  const env = process.env;
  const { config } = platform;
  const directPut = await openDirectPut(platform.nc, platform.dataSource, { region: config.region, accountId: config.accountId, replicas: config.replicas });
  const runtime = await AnalyticsRuntime.start({
    nc: platform.nc,
    dataSource: platform.dataSource,
    databaseUrl: config.databaseUrl,
    streamByName: (name) => platform.directory.active({ name }).then((entry) => entry.stream).catch(() => undefined),
    putRecords: (ref, records, trace) => platform.backend.putRecords(ref, records, trace),
    registry: platform.registry,
    keys: platform.dataKeys.forReading,
    putDeliveryRecords: directPut.put,
    ...(env.SHARDLINE_ANALYTICS_CHECKPOINT_MS ? { checkpointMs: Number(env.SHARDLINE_ANALYTICS_CHECKPOINT_MS) } : {}),
    onError: (err, application) => log.error(`analytics application ${application ?? '(runtime)'} failed`, err),
  });
  return {
    runtime,
    close: async () => {
      await runtime.close();
      directPut.close();
    },
  };
}
