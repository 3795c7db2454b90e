import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JsonLogger, collectProcessMetrics, opsPort, serveOps, startTelemetry, stopOnSignals } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { AnalyticsModule } from './analytics.module';
import { startAnalytics } from './start-analytics';

const log = new JsonLogger({ service: 'shardline-analytics' });

/** An analytics process: runs the applications whose ownership it wins (run several). */
async function main(): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'shardline-analytics' });
  const platform = await Platform.open(readConfig(), { gateway: false, shards: false });
  collectProcessMetrics(platform.registry);
  const analytics = await startAnalytics(platform, log);
  const port = opsPort(process.env);
  const ops = port === undefined ? undefined : await serveOps({ registry: platform.registry, readiness: () => platform.healthProblems(), port });
  const app = await NestFactory.createApplicationContext(AnalyticsModule.forRuntime(analytics, ops), { logger: ['error', 'warn'] });
  // SIGTERM: the module's shutdown hook closes the ops server and the runners, then the platform.
  void stopOnSignals(log, [() => app.close(), () => platform.close(), () => telemetry.shutdown()]);
  log.info(`shardline analytics process ${process.pid} started${ops ? `, metrics and health on port ${ops.port}` : ''}`, { pid: process.pid, port: ops?.port });
}

main().catch((err: unknown) => {
  log.error('shardline analytics failed to start', err);
  process.exit(1);
});
