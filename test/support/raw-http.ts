import { request as http1Request } from 'node:http';
import { connect as http2Connect, constants as h2 } from 'node:http2';
import type { Transport } from './platform';

/** One raw answer of the gateway. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body as received. */
  bytes: Buffer;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: Record<string, unknown> | undefined;
}

export interface RawRequest {
  /** X-Amz-Target; omitted when undefined. */
  target?: string;
  /** Content-Type; defaults to application/x-amz-json-1.1. */
  contentType?: string;
  body: string | Buffer;
  /** More headers (e.g. a SigV4 Authorization made by the test). */
  headers?: Record<string, string>;
}

const JSON_11 = 'application/x-amz-json-1.1';

function answer(status: number, headers: RawAnswer['headers'], body: Buffer): RawAnswer {
  const text = body.toString('utf8');
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { status, headers, text, bytes: body, json };
}

/**
 * Sends one POST / to the gateway without the SDK (for inputs the SDK cannot send), over
 * HTTP/1.1 or h2c. A server that answers before reading the whole body (413) is fine: the
 * answer is returned even if writing the rest of the body then fails.
 */
export function rawKinesisRequest(endpoint: string, transport: Transport, req: RawRequest): Promise<RawAnswer> {
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  const headers: Record<string, string | number> = { 'content-type': req.contentType ?? JSON_11, 'content-length': body.length };
  if (req.target !== undefined) headers['x-amz-target'] = req.target;
  Object.assign(headers, req.headers);
  return transport === 'http1' ? viaHttp1(endpoint, headers, body) : viaH2c(endpoint, headers, body);
}

function viaHttp1(endpoint: string, headers: Record<string, string | number>, body: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const url = new URL(endpoint);
    const req = http1Request({ host: url.hostname, port: url.port, path: '/', method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(answer(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
      res.on('error', reject);
    });
    // EPIPE/ECONNRESET after an early answer is expected; without an answer it is a failure.
    req.on('error', (err) => setTimeout(() => reject(err), 200));
    req.end(body);
  });
}

function viaH2c(endpoint: string, headers: Record<string, string | number>, body: Buffer): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(endpoint);
    const fail = (err: Error) => {
      session.destroy();
      setTimeout(() => reject(err), 200);
    };
    session.on('error', fail);
    const stream = session.request({ [h2.HTTP2_HEADER_METHOD]: 'POST', [h2.HTTP2_HEADER_PATH]: '/', ...headers });
    let status = 0;
    let responseHeaders: RawAnswer['headers'] = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      status = Number(h[h2.HTTP2_HEADER_STATUS]);
      responseHeaders = h as RawAnswer['headers'];
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      session.close();
      resolve(answer(status, responseHeaders, Buffer.concat(chunks)));
    });
    stream.on('error', fail);
    stream.end(body);
  });
}
