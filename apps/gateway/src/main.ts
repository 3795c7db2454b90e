import 'reflect-metadata';
import { startTelemetry } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { serveHttp, stopOnSignals } from './bootstrap';
import { GatewayModule } from './gateway.module';

/** The gateway alone: the HTTP edge; shard actors live in `shards` processes. */
async function main(): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'shardline-gateway' });
  const config = readConfig();
  const platform = await Platform.open(config, { gateway: true, shards: false });
  const gateway = await serveHttp(GatewayModule.forPlatform(platform), config.port);
  console.log(`shardline gateway listening on ${gateway.port}`);
  stopOnSignals(gateway.close, () => platform.close(), () => telemetry.shutdown());
}

main().catch((err: unknown) => {
  console.error('shardline failed to start:', err);
  process.exit(1);
});
