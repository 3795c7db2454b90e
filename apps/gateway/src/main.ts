import 'reflect-metadata';
import { startTelemetry } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { serveHttp } from './bootstrap';
import { GatewayModule } from './gateway.module';

/** The gateway alone: the HTTP edge; shard actors live in `shards` processes. */
async function main(): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'shardline-gateway' });
  const config = readConfig();
  const platform = await Platform.open(config, { gateway: true, shards: false });
  const gateway = await serveHttp(GatewayModule.forPlatform(platform), config.port);
  console.log(`shardline gateway listening on ${gateway.port}`);
  const stop = async () => {
    await gateway.close();
    await platform.close();
    await telemetry.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

void main();
