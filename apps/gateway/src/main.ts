import 'reflect-metadata';
import { JsonLogger, collectProcessMetrics, startTelemetry, stopOnSignals } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { serveHttp } from './bootstrap';
import { GatewayModule } from './gateway.module';
import { tuneHeapGrowth } from './heap';

const log = new JsonLogger({ service: 'shardline-gateway' });

/** The gateway alone: the HTTP edge; shard actors live in `shards` processes. */
async function main(): Promise<void> {
  tuneHeapGrowth();
  const telemetry = startTelemetry({ serviceName: 'shardline-gateway' });
  const config = readConfig();
  const platform = await Platform.open(config, { gateway: true, shards: false });
  collectProcessMetrics(platform.registry);
  const gateway = await serveHttp(GatewayModule.forPlatform(platform), config.port);
  log.info(`shardline gateway listening on ${gateway.port}`, { pid: process.pid, port: gateway.port });
  void stopOnSignals(log, [gateway.close, () => platform.close(), () => telemetry.shutdown()]);
}

main().catch((err: unknown) => {
  log.error('shardline gateway failed to start', err);
  process.exit(1);
});
