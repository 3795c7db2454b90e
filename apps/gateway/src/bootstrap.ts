import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DynamicModule } from '@nestjs/common';
import type { Server } from 'node:http';
import { DualProtocolServer } from './http/dual-protocol-server';
import { KinesisDispatcher } from './kinesis/kinesis-dispatcher';
import { kinesisLane } from './kinesis/kinesis-lane';
import { FirehoseDispatcher } from './firehose/firehose-dispatcher';
import type { NativeServices } from '@shardline/native';
import { NATIVE_SERVICES } from './gateway.module';
import { registerDocsRoutes } from './rest/docs-routes';
import { registerNativeRoutes } from './rest/native-routes';
import { registerConsoleRoutes } from './rest/console-routes';

/** A running gateway: the Nest app and the port it serves. */
export interface RunningGateway {
  app: NestFastifyApplication;
  port: number;
  close(): Promise<void>;
}

/** Boots a Nest app on Fastify and serves it over HTTP/1.1 and h2c on one port. */
export async function serveHttp(module: DynamicModule, port: number, host = '0.0.0.0'): Promise<RunningGateway> {
  // The AWS JSON protocol never reaches Fastify (see kinesis-lane.ts); Fastify serves the
  // Nest controllers (health) and the native REST API (/v1, /docs) with its own parsers and error handling.
  const app = await NestFactory.create<NestFastifyApplication>(module, new FastifyAdapter({ logger: false }), {
    logger: ['error', 'warn'],
  });
  // The native REST API and its docs are plain Fastify routes driven by the native lib's operation list.
  const fastify = app.getHttpAdapter().getInstance();
  const rest = registerNativeRoutes(fastify, app.get<symbol, NativeServices>(NATIVE_SERVICES));
  registerDocsRoutes(fastify);
  registerConsoleRoutes(fastify);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const dispatcher = app.get(KinesisDispatcher);
  const server = new DualProtocolServer(app.getHttpServer() as Server, kinesisLane(dispatcher, app.get(FirehoseDispatcher)));
  const bound = await server.listen(port, host);
  return {
    app,
    port: bound,
    close: async () => {
      // Event streams (SubscribeToShard) last up to 5 minutes: end them rather than wait.
      dispatcher.closeStreams();
      rest.closeTails();
      await server.close();
      await app.close();
    },
  };
}
