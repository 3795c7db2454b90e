import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { JsonLogger, collectProcessMetrics, opsPort, serveOps, startTelemetry, stopOnSignals } from '@shardline/telemetry';
import { Platform, readConfig } from '@shardline/streams';
import { FirehoseModule } from './firehose.module';
import { startFirehose } from './start-firehose';

const log = new JsonLogger({ service: 'shardline-firehose' });

/** A firehose process: delivers the delivery streams whose ownership it wins (run several). */
async function main(): Promise<void> {
  const telemetry = startTelemetry({ serviceName: 'shardline-firehose' });
  const platform = await Platform.open(readConfig(), { gateway: false, shards: false });
  collectProcessMetrics(platform.registry);
  const runtime = await startFirehose(platform, log);
  const port = opsPort(process.env);
  const ops = port === undefined ? undefined : await serveOps({ registry: platform.registry, readiness: () => platform.healthProblems(), port });
  const app = await NestFactory.createApplicationContext(FirehoseModule.forRuntime(runtime, ops), { logger: ['error', 'warn'] });
  // SIGTERM: the module's shutdown hook closes the ops server and the runners, then the platform.
  void stopOnSignals(log, [() => app.close(), () => platform.close(), () => telemetry.shutdown()]);
  log.info(`shardline firehose process ${process.pid} started${ops ? `, metrics and health on port ${ops.port}` : ''}`, { pid: process.pid, port: ops?.port });
}

main().catch((err: unknown) => {
  log.error('shardline firehose failed to start', err);
  process.exit(1);
});
