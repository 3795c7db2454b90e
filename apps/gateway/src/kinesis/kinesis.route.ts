import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { KinesisDispatcher } from './kinesis-dispatcher';

/**
 * The Kinesis JSON 1.1 API, POST / with X-Amz-Target, as a plain Fastify route. Not a Nest
 * controller: Nest's router (param decorators, interceptors, exception zone) measured
 * ~190 µs of CPU per request here, more than the work of a small GetRecords, and this
 * route has no use for any of it. Other APIs stay Nest controllers.
 */
@Injectable()
export class KinesisRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly dispatcher: KinesisDispatcher,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.post('/', (req, reply) => this.handle(req, reply));
  }

  private async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const target = req.headers['x-amz-target'];
    const answer = await this.dispatcher.dispatch(
      typeof target === 'string' ? target : undefined,
      req.headers['content-type'],
      req.body as Buffer | undefined,
    );
    await reply
      .status(answer.status)
      .header('x-amzn-RequestId', randomUUID())
      .header('content-type', 'application/x-amz-json-1.1')
      .send(Buffer.from(answer.body));
  }
}
