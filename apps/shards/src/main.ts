import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { startTelemetry } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { ShardsModule } from './shards.module';

/** A shards process: claims its share of shards through leases and runs their actors. */
async function main(): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'shardline-shards' });
  const platform = await Platform.open(readConfig(), { gateway: false, shards: true });
  const app = await NestFactory.createApplicationContext(ShardsModule.forPlatform(platform), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  console.log(`shardline shards process ${process.pid} started`);
  process.once('beforeExit', () => void telemetry.shutdown());
}

main().catch((err: unknown) => {
  console.error('shardline failed to start:', err);
  process.exit(1);
});
