import { randomUUID } from 'node:crypto';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { awsErrorAnswer } from '../kinesis/aws-error';
import { ShardlineError } from '@shardline/protocol';
import { BODY_LIMIT } from '../kinesis/kinesis-lane';

/** Fastify for the gateway: raw bodies (each protocol parses its own), AWS-shaped edge errors. */
export function createFastifyAdapter(): FastifyAdapter {
  return new FastifyAdapter({ bodyLimit: BODY_LIMIT, logger: false, allowErrorHandlerOverride: true });
}

/** Called once Nest has created the app, before init: bodies stay raw bytes. */
export function configureBodyParsing(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (_req, body, done) => done(null, body));
}

/** Called after Nest's init (which sets its own handler): edge errors in AWS's shape. */
export function configureEdgeErrors(fastify: FastifyInstance): void {
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

