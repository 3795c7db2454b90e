import type { NatsConnection } from 'nats';
import { ShardlineApiError, problemFrom } from './errors';
import { ConsumerGroup } from './consumer-group';
import { SseParser, openSse, parseOrUndefined } from './sse';
import type {
  ApplicationStartingPosition,
  ApplicationView,
  CheckpointInput,
  CreateApplicationInput,
  DiscoveredSchema,
  PreviewInput,
  PreviewView,
  UpdateApplicationInput,
  CheckpointResult,
  CreateStreamInput,
  DeletedView,
  GroupList,
  GroupView,
  JoinResult,
  MemberAssignment,
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
  /** A NATS connection: consumer groups then join over NATS (faster) instead of REST + SSE. */
  nats?: NatsConnection;
  /** First token of the NATS subjects: `shardline` unless the server sets SHARDLINE_NATS_API_PREFIX. */
  natsPrefix?: string;
}

type Query = Record<string, string | number | boolean | undefined>;

/**
 * The REST API (/v1) as typed functions. Uses the global fetch (Node 18+). Every failure
 * the server answers throws a ShardlineApiError carrying the problem document.
 */
export class ShardlineClient {
  readonly endpoint: string;
  readonly nats?: NatsConnection;
  readonly natsPrefix: string;
  /** @internal headers sent on every request (SSE connections too). */
  readonly headers: Record<string, string>;

  constructor(options: ShardlineClientOptions = {}) {
    this.endpoint = (options.endpoint ?? 'http://127.0.0.1:4567').replace(/\/+$/, '');
    this.headers = options.headers ?? {};
    this.nats = options.nats;
    this.natsPrefix = options.natsPrefix ?? 'shardline';
  }

  /** A stream's consumer groups, and group membership over REST (what consume() uses without NATS). */
  readonly groups = {
    list: (stream: string) => this.request<GroupList>('GET', `/v1/streams/${enc(stream)}/groups`),
    describe: (stream: string, group: string) => this.request<GroupView>('GET', `/v1/streams/${enc(stream)}/groups/${enc(group)}`),
    delete: (stream: string, group: string) => this.request<{ name: string; group: string }>('DELETE', `/v1/streams/${enc(stream)}/groups/${enc(group)}`),
    join: (stream: string, group: string, options: { memberId?: string } = {}) =>
      this.request<JoinResult>('POST', `/v1/streams/${enc(stream)}/groups/${enc(group)}/members`, undefined, options),
    /** Checkpoints a shard; at a batch's lastSequenceNumber this also acknowledges the batch. */
    checkpoint: (join: JoinResult, input: CheckpointInput) => this.request<CheckpointResult>('POST', join.links.checkpoints, undefined, input),
    heartbeat: (join: JoinResult) => this.request<MemberAssignment>('POST', join.links.heartbeat),
    leave: (join: JoinResult) => this.request<{ memberId: string }>('DELETE', join.links.self),
  };

  /** A consumer group of a stream: `consume()` joins it and hands records to a handler. */
  group(stream: string, group: string): ConsumerGroup {
    return new ConsumerGroup(this, stream, group);
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

  /** Analytics applications (continuous SQL over a stream, docs/analytics.md). */
  readonly analytics = {
    create: (input: CreateApplicationInput) => this.request<ApplicationView>('POST', '/v1/analytics/applications', undefined, input),
    list: () => this.request<{ applications: ApplicationView[] }>('GET', '/v1/analytics/applications'),
    describe: (name: string) => this.request<ApplicationView>('GET', `/v1/analytics/applications/${enc(name)}`),
    update: (name: string, input: UpdateApplicationInput) => this.request<ApplicationView>('PATCH', `/v1/analytics/applications/${enc(name)}`, undefined, input),
    start: (name: string, startingPosition: ApplicationStartingPosition = 'NOW') =>
      this.request<ApplicationView>('POST', `/v1/analytics/applications/${enc(name)}/start`, undefined, { startingPosition }),
    stop: (name: string) => this.request<ApplicationView>('POST', `/v1/analytics/applications/${enc(name)}/stop`),
    delete: (name: string) => this.request<{ name: string; deleted: true }>('DELETE', `/v1/analytics/applications/${enc(name)}`),
    /** Runs SQL over the live stream for a few seconds without storing an application. */
    preview: (input: PreviewInput) => this.request<PreviewView>('POST', '/v1/analytics/preview', undefined, input),
    /** Infers an input mapping (format, columns) from a sample of the stream's records. */
    discoverSchema: (input: ({ streamName: string } | { deliveryStreamName: string }) & { format?: 'JSON' | 'CSV'; sampleSize?: number }) =>
      this.request<DiscoveredSchema>('POST', '/v1/analytics/discover-schema', undefined, input),
    /**
     * The rows of an in-application stream (or `error_stream`, `late_stream`) from now on, over
     * Server-Sent Events. Leaving the loop (break, or the signal) closes the connection; no reconnect
     * (rows produced while disconnected are not replayed).
     */
    live: (name: string, stream: string, options: { signal?: AbortSignal } = {}) => this.live(name, stream, options),
  };

  private async *live(name: string, stream: string, options: { signal?: AbortSignal }): AsyncGenerator<Record<string, unknown>> {
    const url = this.url(`/v1/analytics/applications/${enc(name)}/streams/${enc(stream)}/live`);
    const connection = openSse(url, { ...this.headers, accept: 'text/event-stream' }, options.signal);
    try {
      const response = await connection.response;
      const parser = new SseParser();
      response.setEncoding('utf8');
      for await (const chunk of response as AsyncIterable<string>) {
        for (const event of parser.feed(chunk)) {
          if (event.event === 'problem') throw new ShardlineApiError(problemFrom(parseOrUndefined(event.data), 500, event.data));
          if (event.event === 'row') yield JSON.parse(event.data) as Record<string, unknown>;
        }
      }
    } catch (err) {
      if (options.signal?.aborted) return;
      throw err;
    } finally {
      connection.close();
    }
  }

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

  /** @internal an absolute URL of the gateway. */
  url(path: string, query?: Query): URL {
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

const enc = encodeURIComponent;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
