/**
 * The live rows of a running analytics application's stream, for the SSE route
 * `GET /v1/analytics/applications/{name}/streams/{stream}/live`: the gateway subscribes to the
 * NATS subject the runtime publishes the stream's rows on (wherever the application runs) and
 * yields them as they come, with heartbeats while idle. Best effort: a client too slow to read
 * loses the oldest rows past a bound rather than growing the gateway's memory.
 */
import { notFound, unavailable } from '@shardline/protocol';
import { ERROR_STREAM, LATE_STREAM } from '@shardline/analytics';
import { analyticsOf } from './analytics-operations';
import { liveParams } from './analytics-schemas';
import { parse, type NativeServices } from './operation';

export type LiveEvent = { kind: 'open' } | { kind: 'row'; row: unknown } | { kind: 'heartbeat' };

const HEARTBEAT_MS = 15_000;
const MAX_QUEUED = 10_000;

export class AnalyticsLiveFeed {
  private readonly queue: unknown[] = [];
  private wake?: () => void;
  private closed = false;

  private constructor(
    private readonly unsubscribe: () => void,
    private readonly heartbeatMs: number,
  ) {}

  /** Checks the application and stream exist (404 problem otherwise) and subscribes before the first event. */
  static async open(services: NativeServices, rawParams: unknown, heartbeatMs = HEARTBEAT_MS): Promise<AnalyticsLiveFeed> {
    const params = parse(liveParams, rawParams, 'path');
    const streams = await analyticsOf(services).streams(params.name);
    const stream = [...streams, ERROR_STREAM, LATE_STREAM].find((s) => s.toUpperCase() === params.stream.toUpperCase());
    if (!stream) throw notFound(`Application ${params.name} has no stream ${params.stream}`);
    if (!services.subscribeLive) throw unavailable('Live views are not available on this server');
    const holder: { feed?: AnalyticsLiveFeed } = {};
    const unsubscribe = services.subscribeLive(params.name, stream, (row) => holder.feed?.push(row));
    holder.feed = new AnalyticsLiveFeed(unsubscribe, heartbeatMs);
    return holder.feed;
  }

  async *events(): AsyncIterable<LiveEvent> {
    yield { kind: 'open' };
    while (!this.closed) {
      if (this.queue.length === 0) {
        const woken = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), this.heartbeatMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        this.wake = undefined;
        if (!woken && !this.closed) yield { kind: 'heartbeat' };
        continue;
      }
      yield { kind: 'row', row: this.queue.shift() };
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.wake?.();
  }

  private push(row: unknown): void {
    if (this.closed) return;
    if (this.queue.length >= MAX_QUEUED) this.queue.shift();
    this.queue.push(row);
    this.wake?.();
  }
}

export function liveSseFrame(event: LiveEvent): string {
  switch (event.kind) {
    case 'open':
      return `retry: 1000\n: connected\n\n`;
    case 'row':
      return `event: row\ndata: ${JSON.stringify(event.row)}\n\n`;
    case 'heartbeat':
      return ': heartbeat\n\n';
  }
}
