import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { startTelemetry } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { FirehoseModule } from './firehose.module';
import { startFirehose } from './start-firehose';

/** A firehose process: delivers the delivery streams whose ownership it wins (run several). */
async function main(): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'shardline-firehose' });
  const platform = await Platform.open(readConfig(), { gateway: false, shards: false });
  const runtime = await startFirehose(platform);
  const app = await NestFactory.createApplicationContext(FirehoseModule.forRuntime(runtime), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  process.once('beforeExit', () => void platform.close().finally(() => telemetry.shutdown()));
  console.log(`shardline firehose process ${process.pid} started`);
}

main().catch((err: unknown) => {
  console.error('shardline firehose failed to start:', err);
  process.exit(1);
});
