/**
 * The console's typed view of the native REST API (/v1, see /v1/openapi.json) and its
 * Server-Sent Events routes. Every number the pages show comes from here. The shapes the
 * typed client already has are its own (libs/client/src/types.ts, types only: nothing of the
 * client runs in the browser), which test/client checks against the live OpenAPI document;
 * the console-only routes' shapes are written here.
 */
import type { ApplicationView, GroupView, RecordView, ShardView, StreamSummary, StreamView } from '../../../libs/client/src/types';

export type { ApplicationView, GroupView, RecordView, ShardView, StreamSummary, StreamView };

/** Totals since the gateway started (rates are differences of two samples). */
export interface StreamMetrics {
  stream: string;
  sampledAt: string;
  incomingRecords: number;
  incomingBytes: number;
  outgoingRecords: number;
  iteratorAgeMillis: number;
  writeThrottled: number;
  readThrottled: number;
}

export interface DeliveryStreamSummary {
  name: string;
  type: string;
  status: string;
  destination: string;
}

export interface DeliveryStreamStatus extends Omit<DeliveryStreamSummary, 'destination'> {
  arn: string;
  versionId: number;
  createdAt: string;
  source?: { kinesisStreamArn: string };
  destination: { kind: string; config: Record<string, unknown> };
  progress: Array<{ source: string; committedSeq: number; storedSeq?: number; pending?: { fromSeq: number; toSeq: number } }>;
  metrics: Record<string, number>;
  bucket?: string;
  objects: string[];
  errorObjects: string[];
  lastError?: string;
}

/** A problem+json answer (RFC 9457), thrown as an error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; errors?: Array<{ path: string; message: string }>; line?: number; column?: number },
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

const enc = encodeURIComponent;

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(res.status, json as ApiError['problem']);
  return json as T;
}

export const api = {
  streams: () => call<{ streams: StreamSummary[] }>('GET', '/v1/streams'),
  stream: (name: string) => call<StreamView>('GET', `/v1/streams/${enc(name)}`),
  metrics: (name: string) => call<StreamMetrics>('GET', `/v1/streams/${enc(name)}/metrics`),
  groups: (name: string) => call<{ groups: Array<{ groupName: string }> }>('GET', `/v1/streams/${enc(name)}/groups`),
  group: (name: string, group: string) => call<GroupView>('GET', `/v1/streams/${enc(name)}/groups/${enc(group)}`),
  deliveryStreams: () => call<{ deliveryStreams: DeliveryStreamSummary[] }>('GET', '/v1/delivery-streams'),
  deliveryStream: (name: string) => call<DeliveryStreamStatus>('GET', `/v1/delivery-streams/${enc(name)}`),
  applications: () => call<{ applications: ApplicationView[] }>('GET', '/v1/analytics/applications'),
  application: (name: string) => call<ApplicationView>('GET', `/v1/analytics/applications/${enc(name)}`),
  updateSql: (name: string, sql: string) => call<ApplicationView>('PATCH', `/v1/analytics/applications/${enc(name)}`, { sql }),
};

/** Follows a stream from now on (GET /v1/streams/{name}/tail?from=LATEST); answers how to stop. */
export function tailStream(name: string, onRecord: (record: RecordView) => void): () => void {
  const source = new EventSource(`/v1/streams/${enc(name)}/tail?from=LATEST`);
  source.onmessage = (event: MessageEvent<string>) => onRecord(JSON.parse(event.data) as RecordView);
  return () => source.close();
}

/** A running application's rows of one in-application stream (GET …/streams/{stream}/live). */
export function liveRows(application: string, stream: string, onRow: (row: Record<string, unknown>) => void): () => void {
  const source = new EventSource(`/v1/analytics/applications/${enc(application)}/streams/${enc(stream)}/live`);
  source.addEventListener('row', (event) => onRow(JSON.parse((event as MessageEvent<string>).data) as Record<string, unknown>));
  return () => source.close();
}
