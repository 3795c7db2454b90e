import { Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { KinesisDispatcher } from './kinesis-dispatcher';

/** The Kinesis JSON 1.1 API: POST / with X-Amz-Target. */
@Controller()
export class KinesisController {
  constructor(private readonly dispatcher: KinesisDispatcher) {}

  @Post('/')
  @HttpCode(200)
  async handle(
    @Headers('x-amz-target') target: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const answer = await this.dispatcher.dispatch(target, contentType, req.body as Buffer | undefined);
    await reply
      .status(answer.status)
      .header('x-amzn-RequestId', randomUUID())
      .header('content-type', 'application/x-amz-json-1.1')
      .send(Buffer.from(answer.body));
  }
}
