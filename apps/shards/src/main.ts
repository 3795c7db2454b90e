import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JsonLogger, collectProcessMetrics, opsPort, serveOps, startTelemetry, stopOnSignals } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { ShardsModule } from './shards.module';

const log = new JsonLogger({ service: 'shardline-shards' });

/** A shards process: claims its share of shards through leases and runs their actors. */
async function main(): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'shardline-shards' });
  const platform = await Platform.open(readConfig(), { gateway: false, shards: true });
  collectProcessMetrics(platform.registry);
  const port = opsPort(process.env);
  const ops = port === undefined ? undefined : await serveOps({ registry: platform.registry, readiness: () => platform.healthProblems(), port });
  const app = await NestFactory.createApplicationContext(ShardsModule.forPlatform(platform, ops), { logger: ['error', 'warn'] });
  log.info(`shardline shards process ${process.pid} started${ops ? `, metrics and health on port ${ops.port}` : ''}`, { pid: process.pid, port: ops?.port });
  // SIGTERM: the module's shutdown hook closes the ops server, then the platform (actors drain, leases are released).
  void stopOnSignals(log, [() => app.close(), () => telemetry.shutdown()]);
}

main().catch((err: unknown) => {
  log.error('shardline shards failed to start', err);
  process.exit(1);
});
