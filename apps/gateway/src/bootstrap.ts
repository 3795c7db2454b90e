import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DynamicModule } from '@nestjs/common';
import type { Server } from 'node:http';
import { DualProtocolServer } from './http/dual-protocol-server';
import { KinesisDispatcher } from './kinesis/kinesis-dispatcher';
import { kinesisLane } from './kinesis/kinesis-lane';
import { configureBodyParsing, configureEdgeErrors, createFastifyAdapter } from './http/fastify-adapter';

/** A running gateway: the Nest app and the port it serves. */
export interface RunningGateway {
  app: NestFastifyApplication;
  port: number;
  close(): Promise<void>;
}

/** Boots a Nest app on Fastify and serves it over HTTP/1.1 and h2c on one port. */
export async function serveHttp(module: DynamicModule, port: number, host = '0.0.0.0'): Promise<RunningGateway> {
  const app = await NestFactory.create<NestFastifyApplication>(module, createFastifyAdapter(), { logger: ['error', 'warn'] });
  configureBodyParsing(app.getHttpAdapter().getInstance());
  await app.init();
  configureEdgeErrors(app.getHttpAdapter().getInstance());
  await app.getHttpAdapter().getInstance().ready();
  const server = new DualProtocolServer(app.getHttpServer() as Server, kinesisLane(app.get(KinesisDispatcher)));
  const bound = await server.listen(port, host);
  return {
    app,
    port: bound,
    close: async () => {
      await server.close();
      await app.close();
    },
  };
}

/** Closes everything in order on SIGTERM or SIGINT, then exits: in-flight work drains first. */
export function stopOnSignals(...closers: Array<() => Promise<void>>): void {
  const stop = async () => {
    for (const close of closers) await close().catch((err) => console.error(err));
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}
