import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { startTelemetry } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { AnalyticsModule } from './analytics.module';
import { startAnalytics } from './start-analytics';

/** An analytics process: runs the applications whose ownership it wins (run several). */
async function main(): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'shardline-analytics' });
  const platform = await Platform.open(readConfig(), { gateway: false, shards: false });
  const analytics = await startAnalytics(platform);
  const app = await NestFactory.createApplicationContext(AnalyticsModule.forRuntime(analytics), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  process.once('beforeExit', () => void platform.close().finally(() => telemetry.shutdown()));
  console.log(`shardline analytics process ${process.pid} started`);
}

main().catch((err: unknown) => {
  console.error('shardline analytics failed to start:', err);
  process.exit(1);
});
