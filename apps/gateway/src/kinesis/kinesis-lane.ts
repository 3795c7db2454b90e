import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { EVENT_STREAM_CONTENT_TYPE, ShardlineError } from '@shardline/protocol';
import { awsErrorAnswer, type AwsJsonAnswer } from './aws-error';
import type { EventStreamAnswer, KinesisAnswer, KinesisDispatcher } from './kinesis-dispatcher';
import { codecFor, jsonCodec, type WireCodec } from './wire-codec';
import { isFirehoseTarget, type FirehoseDispatcher } from '../firehose/firehose-dispatcher';

/** Bodies up to this size are read and answered by the protocol's own validation. */
export const BODY_LIMIT = 64 * 1024 * 1024;

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** Handles a request when it is for this lane; answers false to pass it on. */
export type Lane = (req: Request, res: Response) => boolean;

/**
 * The AWS JSON protocol (POST / with X-Amz-Target) served straight from Node's request
 * events, ahead of Fastify. Fastify's per-request machinery (hooks, the content-type
 * parser's AsyncResource) measured ~100-190 µs of CPU per request here: more than a whole
 * GetRecords at the tip, and the Kinesis SDK client opens a connection per request, so
 * every microsecond per request counts. Everything else (REST, health) stays on Nest.
 */
export function kinesisLane(dispatcher: KinesisDispatcher, firehose?: FirehoseDispatcher): Lane {
  return (req, res) => {
    if (req.method !== 'POST' || req.url !== '/') return false;
    const target = header(req.headers['x-amz-target']);
    // Firehose_20150804.* shares the lane (and its body limit); its dispatcher maps its own errors.
    const service = firehose && isFirehoseTarget(target) ? firehose : dispatcher;
    void readBody(req).then(
      (body) =>
        body === 'too large'
          ? tooLarge(codecFor(header(req.headers['content-type'])) ?? jsonCodec)
          : service.dispatch(target, header(req.headers['content-type']), body, {
              method: req.method,
              url: req.url,
              headers: req.headers,
            }),
    ).then(
      (answer) => respond(res, answer, dispatcher),
      (err: unknown) => send(res, awsErrorAnswer(err)),
    );
    return true;
  };
}

/** Reads the whole body; past the limit it keeps draining (so h2 flow goes on) but keeps nothing. */
function readBody(req: Request): Promise<Buffer | 'too large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > BODY_LIMIT ? 'too large' : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function tooLarge(codec: WireCodec): AwsJsonAnswer {
  const error = new ShardlineError('ValidationException', `Request body exceeds the limit of ${BODY_LIMIT} bytes.`);
  const answer = awsErrorAnswer(error, undefined, codec);
  return { ...answer, status: 413 };
}

function respond(res: Response, answer: KinesisAnswer, dispatcher: KinesisDispatcher): void {
  if ('stream' in answer) {
    void sendStream(res, answer, dispatcher).finally(() => dispatcher.finished(answer.stream));
  } else send(res, answer);
}

/**
 * Writes an event stream as its messages come (HTTP/1.1: chunked; h2: DATA frames), waiting
 * for 'drain' when the client reads slower than events arrive. A client that leaves closes
 * the stream, which ends the loop.
 */
async function sendStream(res: Response, answer: EventStreamAnswer, dispatcher: KinesisDispatcher): Promise<void> {
  const { stream } = answer;
  const http = res as ServerResponse;
  http.writeHead(200, { 'x-amzn-RequestId': randomUUID(), 'content-type': EVENT_STREAM_CONTENT_TYPE });
  http.once('close', () => stream.close());
  try {
    for await (const frame of stream.frames(dispatcher.log)) {
      if (http.destroyed) break;
      if (!http.write(frame)) await drained(http);
    }
  } finally {
    stream.close();
    if (!http.destroyed) http.end();
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

function send(res: Response, answer: AwsJsonAnswer): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  (res as ServerResponse).writeHead(answer.status, {
    'x-amzn-RequestId': randomUUID(),
    'content-type': answer.contentType ?? 'application/x-amz-json-1.1',
    'content-length': body.length,
  });
  res.end(body);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
