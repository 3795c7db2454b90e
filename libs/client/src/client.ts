import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ShardlineApiError, problemFrom } from './errors';
import { SseParser } from './sse';
import type {
  CreateStreamInput,
  DeletedView,
  PutBatchResult,
  PutSingleResult,
  ReadOptions,
  ReadResult,
  RecordInput,
  RecordView,
  StreamList,
  StreamSummary,
  StreamView,
  TailOptions,
  TailRecord,
  UpdateStreamInput,
} from './types';

export interface ShardlineClientOptions {
  /** The gateway, e.g. http://127.0.0.1:4567 (the REST API is under /v1). */
  endpoint?: string;
  /** Extra headers on every request (e.g. an auth header added by a proxy). */
  headers?: Record<string, string>;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The REST API (/v1) as typed functions. Uses the global fetch (Node 18+). Every failure
 * the server answers throws a ShardlineApiError carrying the problem document.
 */
export class ShardlineClient {
  readonly endpoint: string;
  private readonly headers: Record<string, string>;

  constructor(options: ShardlineClientOptions = {}) {
    this.endpoint = (options.endpoint ?? 'http://127.0.0.1:4567').replace(/\/+$/, '');
    this.headers = options.headers ?? {};
  }

  readonly streams = {
    create: (input: CreateStreamInput) => this.request<StreamView>('POST', '/v1/streams', undefined, input),
    list: (options: { limit?: number; cursor?: string } = {}) => this.request<StreamList>('GET', '/v1/streams', options),
    /** Every stream, following the pages. */
    listAll: async (): Promise<StreamSummary[]> => {
      const streams: StreamSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.streams.list({ limit: 1000, ...(cursor ? { cursor } : {}) });
        streams.push(...page.streams);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return streams;
    },
    describe: (name: string) => this.request<StreamView>('GET', `/v1/streams/${enc(name)}`),
    update: (name: string, input: UpdateStreamInput) => this.request<StreamView>('PATCH', `/v1/streams/${enc(name)}`, undefined, input),
    delete: (name: string, options: { force?: boolean } = {}) =>
      this.request<DeletedView>('DELETE', `/v1/streams/${enc(name)}`, options.force ? { force: true } : undefined),
    /** Polls until the stream has this status (e.g. ACTIVE after create). */
    waitFor: async (name: string, status = 'ACTIVE', timeoutMs = 30_000): Promise<StreamView> => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const stream = await this.streams.describe(name);
        if (stream.status === status) return stream;
        if (Date.now() > deadline) throw new Error(`Stream ${name} is ${stream.status}, not ${status}, after ${timeoutMs} ms`);
        await sleep(100);
      }
    },
  };

  readonly records = {
    put: (stream: string, record: RecordInput) => this.request<PutSingleResult>('POST', `/v1/streams/${enc(stream)}/records`, undefined, record),
    /** 1-500 records in one request, answered per record (retry only the failed ones). */
    putMany: (stream: string, records: RecordInput[]) =>
      this.request<PutBatchResult>('POST', `/v1/streams/${enc(stream)}/records`, undefined, { records }),
    read: (stream: string, shardId: string, options: ReadOptions = {}) =>
      this.request<ReadResult>('GET', `/v1/streams/${enc(stream)}/shards/${enc(shardId)}/records`, { ...options }),
    /** The shard's records page by page, until a page comes back empty (caught up) or the closed shard ends. */
    iterate: (stream: string, shardId: string, options: Omit<ReadOptions, 'cursor'> = {}) => this.pages(stream, shardId, options),
  };

  /**
   * Follows a stream over Server-Sent Events; reconnects with Last-Event-ID when the
   * connection drops. Leaving the loop (break, or the signal) closes the connection.
   */
  async *tail(stream: string, options: TailOptions = {}): AsyncGenerator<TailRecord> {
    let lastEventId = options.lastEventId;
    const url = this.url(`/v1/streams/${enc(stream)}/tail`, { shard: options.shard, from: options.from });
    while (!options.signal?.aborted) {
      const headers = { ...this.headers, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) };
      const connection = openSse(url, headers, options.signal);
      try {
        const response = await connection.response;
        const parser = new SseParser();
        response.setEncoding('utf8');
        for await (const chunk of response as AsyncIterable<string>) {
          for (const event of parser.feed(chunk)) {
            if (event.event === 'problem') throw new ShardlineApiError(problemFrom(parseOrUndefined(event.data), 500, event.data));
            lastEventId = event.id;
            yield { id: event.id ?? '', record: JSON.parse(event.data) as RecordView };
          }
        }
        lastEventId = parser.lastEventId ?? lastEventId;
      } catch (err) {
        if (options.signal?.aborted) return;
        if (err instanceof ShardlineApiError) throw err;
        // Anything else is the connection: reconnect and resume after the last event.
      } finally {
        connection.close();
      }
      await sleep(options.reconnectDelayMs ?? 1000);
    }
  }

  private async *pages(stream: string, shardId: string, options: Omit<ReadOptions, 'cursor'>): AsyncGenerator<RecordView> {
    let page = await this.records.read(stream, shardId, options);
    for (;;) {
      yield* page.records;
      if (page.records.length === 0 || page.nextCursor === null) return;
      page = await this.records.read(stream, shardId, { cursor: page.nextCursor, ...(options.limit ? { limit: options.limit } : {}) });
    }
  }

  private url(path: string, query?: Query): URL {
    const url = new URL(this.endpoint + path);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  private async request<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const response = await this.fetch(method, path, query, body);
    return (await response.json()) as T;
  }

  /** One HTTP exchange; a non-2xx answer throws its problem. */
  private async fetch(method: string, path: string, query?: Query, body?: unknown) {
    const response = await fetch(this.url(path, query), {
      method,
      headers: { ...this.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    if (response.ok) return response;
    const text = await response.text();
    throw new ShardlineApiError(problemFrom(parseOrUndefined(text), response.status, text.slice(0, 200)));
  }
}

/**
 * One SSE connection over node:http(s) rather than fetch: fetch does not reliably close a
 * connection whose streaming body is abandoned, and may queue the next request behind it.
 * A non-2xx answer rejects with its problem.
 */
function openSse(url: URL, headers: Record<string, string>, signal?: AbortSignal) {
  let request: ClientRequest | undefined;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { headers, ...(signal ? { signal } : {}) }, (res) => {
      if ((res.statusCode ?? 0) < 300) return resolve(res);
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => reject(new ShardlineApiError(problemFrom(parseOrUndefined(text), res.statusCode ?? 0, text.slice(0, 200)))));
      res.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
  return { response, close: () => request?.destroy() };
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const enc = encodeURIComponent;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
