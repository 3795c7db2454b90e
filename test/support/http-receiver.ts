import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the receiver got: headers, the raw body and the body as JSON (gunzipped when needed). */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  json: unknown;
}

/** How the receiver answers one request; `body` 'echo' is a spec-conforming success body. */
export interface ScriptedAnswer {
  status: number;
  body?: string | 'echo';
  headers?: Record<string, string>;
  /** Waits this long before answering (to make the client time out). */
  delayMs?: number;
}

/**
 * A real HTTP server on 127.0.0.1 (random port) that plays a Firehose HTTP endpoint: it
 * records every request and answers from a script, then with the spec's success answer
 * (200, application/json, `{"requestId","timestamp"}` echoing the request id).
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private server?: Server;

  /** Queues answers for the next requests, in order. */
  answer(...answers: ScriptedAnswer[]): this {
    this.script.push(...answers);
    return this;
  }

  get url(): string {
    if (!this.server) throw new Error('The receiver is not running');
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}/ingest?token=abc`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const rawBody = Buffer.concat(chunks);
        const text = req.headers['content-encoding'] === 'gzip' ? gunzipSync(rawBody).toString() : rawBody.toString();
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, json });
        const answer = this.script.shift() ?? { status: 200, body: 'echo' };
        const requestId = String(req.headers['x-amz-firehose-request-id'] ?? '');
        const body =
          answer.body === 'echo' ? JSON.stringify({ requestId, timestamp: Date.now() }) : (answer.body ?? '');
        const send = () => {
          if (res.destroyed) return;
          res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
          res.end(body);
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs).unref();
        else send();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
