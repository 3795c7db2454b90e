import { randomUUID } from 'node:crypto';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { awsErrorAnswer } from '../kinesis/aws-error';
import { ShardlineError } from '@shardline/protocol';

/** Bodies up to this size are read; a PutRecords of 5 MiB is ~7 MiB of JSON. */
export const BODY_LIMIT = 16 * 1024 * 1024;

/** Fastify for the gateway: raw bodies (each protocol parses its own), AWS-shaped edge errors. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: BODY_LIMIT, logger: false, allowErrorHandlerOverride: true });
}

/** Called once Nest has created the app, before it listens. */
export function configureFastify(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
  fastify.setErrorHandler((error: { statusCode?: number; message: string; code?: string }, _req, reply) => {
    const tooLarge = error.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const answer = awsErrorAnswer(
      new ShardlineError(tooLarge ? 'ValidationException' : 'SerializationException', tooLarge
        ? `Request body exceeds the limit of ${BODY_LIMIT} bytes.`
        : error.message),
    );
    void reply
      .status(tooLarge ? 413 : (error.statusCode ?? answer.status))
      .header('x-amzn-RequestId', randomUUID())
      .header('content-type', 'application/x-amz-json-1.1')
      .send(answer.body);
  });
}
