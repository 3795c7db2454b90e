/**
 * The console's typed view of the native REST API (/v1, see /v1/openapi.json) and its
 * Server-Sent Events routes. Every number the pages show comes from here.
 */

export interface Shard {
  shardId: string;
  status: 'OPEN' | 'CLOSED';
  parentShardId?: string;
  adjacentParentShardId?: string;
  hashKeyRange: { start: string; end: string };
}

export interface StreamSummary {
  name: string;
  status: string;
  mode: string;
  retentionHours: number;
  openShardCount: number;
  consumerCount: number;
}

export interface StreamView extends StreamSummary {
  shards: Shard[];
}

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

export interface GroupView {
  groupName: string;
  members: Array<{ memberId: string; lastHeartbeat: string; shards: string[] }>;
  shards: Array<{ shardId: string; status: string; owner?: string; checkpoint?: string; lagRecords: number; lagMillis: number; shardEnd: boolean }>;
}

export interface RecordView {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  arrivalTimestamp: string;
  dataBase64: string;
  data?: unknown;
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

export interface Application {
  name: string;
  description: string;
  sql: string;
  version: number;
  status: string;
  inAppStreams: string[];
  input: { streamName: string; format: string };
  checkpoint: { savedAt: string } | null;
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
  applications: () => call<{ applications: Application[] }>('GET', '/v1/analytics/applications'),
  application: (name: string) => call<Application>('GET', `/v1/analytics/applications/${enc(name)}`),
  updateSql: (name: string, sql: string) => call<Application>('PATCH', `/v1/analytics/applications/${enc(name)}`, { sql }),
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
