import { randomUUID } from 'node:crypto';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { awsErrorAnswer } from '../kinesis/aws-error';
import { ShardlineError } from '@shardline/protocol';

/**
 * Bodies up to this size are read, so that any plausible oversized Kinesis request (a
 * PutRecords of 5 MiB is ~7 MiB of JSON) is read and refused by validation with AWS's own
 * error. Above it the answer is a 413 in AWS's shape over HTTP/1.1; over h2c Node resets
 * the stream of an unread body (ENHANCE_YOUR_CALM) before the client reads the 413.
 */
export const BODY_LIMIT = 64 * 1024 * 1024;

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

