import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { Http2ServerResponse } from 'node:http2';
import { serializationError } from '@shardline/protocol';
import {
  AnalyticsLiveFeed,
  MemberFeed,
  analyticsLiveRoute,
  liveSseFrame,
  StreamTail,
  httpProblem,
  memberOperations,
  memberRecordsRoute,
  memberSseFrame,
  nativeOperations,
  openApiDocument,
  problemOf,
  sseFrame,
  sseProblem,
  tailRoute,
  type NativeServices,
  type Problem,
} from '@shardline/native';

/** PutRecords' 5 MiB of data, base64 in JSON: the put route's body limit. */
const PUT_BODY_LIMIT = 16 * 1024 * 1024;
const VERSION = '0.1.0';

/** `/v1/streams/{name}` (OpenAPI) as Fastify's `/streams/:name`, under the /v1 prefix. */
const fastifyPath = (path: string) => path.slice('/v1'.length).replace(/\{(\w+)\}/g, ':$1');

/** The REST API under /v1: each route runs its operation from the native lib; errors are problem+json. */
export function registerNativeRoutes(fastify: FastifyInstance, services: NativeServices): { closeTails(): void } {
  const tails = new Set<{ close(): void }>();
  const operations = [...nativeOperations, ...memberOperations];
  const document = openApiDocument(operations, VERSION);
  void fastify.register(
    (scope, _options, done) => {
      scope.removeContentTypeParser('text/plain'); // bodies are JSON, or raw bytes where an operation takes them: anything else is 415
      const rawTypes = [...new Set(nativeOperations.flatMap((op) => op.rawContentTypes ?? []))];
      if (rawTypes.length) scope.addContentTypeParser(rawTypes, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      scope.setErrorHandler((err: FastifyError, _req, reply) => sendProblem(reply, fastifyProblem(err) ?? problemOf(err)));
      scope.setNotFoundHandler((req, reply) => sendProblem(reply, httpProblem('route-not-found', `No route ${req.method} ${req.url}`)));
      for (const op of operations) {
        scope.route({
          method: op.method,
          url: fastifyPath(op.path),
          ...(op.method === 'POST' ? { bodyLimit: PUT_BODY_LIMIT } : {}),
          handler: async (req, reply) => {
            if (Buffer.isBuffer(req.body) && !op.rawContentTypes?.includes(mediaType(req))) {
              return sendProblem(reply, httpProblem('unsupported-media-type', `${op.method} ${op.path} takes application/json`));
            }
            const result = await op.execute(services, { params: req.params, query: req.query, body: req.body });
            return reply.code(op.status).send(result);
          },
        });
      }
      scope.get(fastifyPath(tailRoute.path), (req, reply) => tail(services, tails, req, reply));
      scope.get(fastifyPath(memberRecordsRoute.path), (req, reply) => memberRecords(services, tails, req, reply));
      scope.get(fastifyPath(analyticsLiveRoute.path), (req, reply) => analyticsLive(services, tails, req, reply));
      scope.get('/openapi.json', (_req, reply) => reply.send(document));
      done();
    },
    { prefix: '/v1' },
  );
  return { closeTails: () => tails.forEach((t) => t.close()) };
}

const mediaType = (req: FastifyRequest) => String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** Fastify's own refusals (body parsing, size, content type) as problems; undefined for everything else. */
function fastifyProblem(err: FastifyError): Problem | undefined {
  if (typeof err.code !== 'string' || !err.code.startsWith('FST_')) return undefined;
  if (err.statusCode === 413) return httpProblem('payload-too-large', err.message);
  if (err.statusCode === 415) return httpProblem('unsupported-media-type', err.message);
  if (err.statusCode !== undefined && err.statusCode < 500) return problemOf(serializationError(err.message)); // unreadable body
  return undefined;
}

/** Waits for a full response to drain (or close), removing both listeners: a slow reader waits thousands of times. */
function drainedOrClosed(raw: ServerResponse | Http2ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.once('drain', done);
    raw.once('close', done);
  });
}

/** Server-Sent Events: errors before the first event are problems; after it, a final `problem` event. */
async function tail(services: NativeServices, tails: Set<{ close(): void }>, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const lastEventId = req.headers['last-event-id'];
  const stream = await StreamTail.open(services, {
    name: (req.params as { name: string }).name,
    query: req.query,
    ...(typeof lastEventId === 'string' && lastEventId ? { lastEventId } : {}),
  });
  await serveEvents(tails, reply, stream, stream.events(), sseFrame);
}

/** A group member's batches (the member must be hosted here: 404 problem otherwise, before the stream starts). */
async function memberRecords(services: NativeServices, feeds: Set<{ close(): void }>, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const feed = MemberFeed.open(services, req.params);
  await serveEvents(feeds, reply, feed, feed.events(), memberSseFrame);
}

/** A running analytics application's rows (404 problem for an unknown application or stream, before the stream starts). */
async function analyticsLive(services: NativeServices, feeds: Set<{ close(): void }>, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const feed = await AnalyticsLiveFeed.open(services, req.params);
  await serveEvents(feeds, reply, feed, feed.events(), liveSseFrame);
}

/** Writes events as SSE frames, waiting for the client to drain; a failure after the start is a final `problem` event. */
async function serveEvents<E>(open: Set<{ close(): void }>, reply: FastifyReply, source: { close(): void }, events: AsyncIterable<E>, frame: (event: E) => string): Promise<void> {
  open.add(source);
  void reply.hijack();
  const raw = reply.raw as ServerResponse | Http2ServerResponse;
  raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  raw.on('close', () => source.close());
  try {
    for await (const event of events) {
      if (!(raw as ServerResponse).write(frame(event))) await drainedOrClosed(raw);
    }
  } catch (err) {
    if (!raw.destroyed) (raw as ServerResponse).write(sseProblem(problemOf(err)));
  } finally {
    open.delete(source);
    source.close();
    raw.end();
  }
}
