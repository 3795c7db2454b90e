import 'reflect-metadata';
import { JsonLogger, collectProcessMetrics, startTelemetry, stopOnSignals } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { GatewayModule, serveHttp, tuneHeapGrowth } from '@shardline/gateway';
import { startFirehose } from '@shardline/firehose-app';
import { startAnalytics } from '@shardline/analytics-app';

const log = new JsonLogger({ service: 'shardline' });

/**
 * Every app in one process (`npm start`): the gateway and the shard actors share the
 * platform, so puts reach their actors in-process with no NATS hop; the firehose role
 * delivers every delivery stream, and the analytics role runs every analytics application,
 * from the same process.
 */
async function main(): Promise<void> {
  tuneHeapGrowth();
  const telemetry = startTelemetry({ serviceName: 'shardline' });
  const config = readConfig();
  const platform = await Platform.open(config, { gateway: true, shards: true });
  collectProcessMetrics(platform.registry);
  const firehose = await startFirehose(platform, log);
  const analytics = await startAnalytics(platform, log);
  const gateway = await serveHttp(GatewayModule.forPlatform(platform), config.port);
  log.info(`shardline listening on http://127.0.0.1:${gateway.port} (HTTP/1.1 and h2c)`, { pid: process.pid, port: gateway.port });
  void stopOnSignals(log, [gateway.close, () => analytics.close(), () => firehose.close(), () => platform.close(), () => telemetry.shutdown()]);
}

main().catch((err: unknown) => {
  log.error('shardline failed to start', err);
  process.exit(1);
});
