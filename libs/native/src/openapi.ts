import { z } from 'zod';
import type { NativeOperation } from './operation';
import { PROBLEM_BASE, PROBLEM_TYPES } from './problems';
import { liveParams } from './analytics-schemas';
import { groupBatchEvent, memberAssignment, memberParams, noQuery, problemSchema, recordView, streamParams, tailQuery } from './schemas';

/** The tail route: Server-Sent Events, so outside the JSON operations, but documented from its own schemas. */
export const tailRoute = {
  path: '/v1/streams/{name}/tail',
  summary: 'Follow records as they are appended (Server-Sent Events; resume with Last-Event-ID)',
  params: streamParams,
  query: tailQuery,
} as const;

/** A group member's records (Server-Sent Events), documented from its own schemas like the tail. */
export const memberRecordsRoute = {
  path: '/v1/streams/{name}/groups/{group}/members/{memberId}/records',
  summary: "A group member's batches as they are delivered (Server-Sent Events; the open connection heartbeats for the member)",
  params: memberParams,
  query: noQuery,
} as const;

/** An analytics application's live rows (Server-Sent Events), documented from its own schemas like the tail. */
export const analyticsLiveRoute = {
  path: '/v1/analytics/applications/{name}/streams/{stream}/live',
  summary: "A running analytics application's rows of one in-application stream as they are produced (Server-Sent Events)",
  params: liveParams,
  query: noQuery,
} as const;

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

function parameters(where: 'path' | 'query', object: z.ZodObject): JsonSchema[] {
  return Object.entries(object.shape).map(([name, field]) => {
    const { description, ...schema } = jsonSchema(field as z.ZodType);
    const required = where === 'path' || !(field as z.ZodType).safeParse(undefined).success;
    return { name, in: where, required, schema, ...(description ? { description } : {}) };
  });
}

const problemResponse = {
  description: `A problem (RFC 9457); its type is one of ${PROBLEM_BASE}{${PROBLEM_TYPES.join(',')}}`,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

function operationObject(op: NativeOperation): JsonSchema {
  return {
    operationId: op.name,
    summary: op.summary,
    parameters: [...parameters('path', op.params), ...parameters('query', op.query)],
    ...(op.body ? { requestBody: { required: !op.body.safeParse({}).success, content: { 'application/json': { schema: jsonSchema(op.body) }, ...rawContent(op) } } } : {}),
    responses: {
      [String(op.status)]: { description: 'Success', content: { 'application/json': { schema: jsonSchema(op.response) } } },
      default: problemResponse,
    },
  };
}

/** The raw-bytes alternatives of a body (a plugin's .js or .tgz as is). */
function rawContent(op: NativeOperation): JsonSchema {
  return Object.fromEntries((op.rawContentTypes ?? []).map((type) => [type, { schema: { type: 'string', format: 'binary' } }]));
}

function tailObject(): JsonSchema {
  return {
    operationId: 'tailStream',
    summary: tailRoute.summary,
    description:
      'Each record is an SSE message whose data is a record (JSON) and whose id holds the position of every followed ' +
      'shard; send it back as Last-Event-ID to resume. Comments (": heartbeat") keep idle connections alive.',
    parameters: [
      ...parameters('path', tailRoute.params),
      ...parameters('query', tailRoute.query),
      { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description: 'An endless text/event-stream; each data line is a record',
        content: { 'text/event-stream': { schema: { type: 'string' } } },
        'x-record-schema': jsonSchema(recordView),
      },
      default: problemResponse,
    },
  };
}

function memberRecordsObject(): JsonSchema {
  return {
    operationId: 'groupMemberRecords',
    summary: memberRecordsRoute.summary,
    description:
      'Events: `assignment` (data: the member\'s shards, sent at connect and whenever they change) and `batch` (data: a batch ' +
      'of one leased shard). A shard\'s next batch follows only once the member checkpoints the batch\'s lastSequenceNumber ' +
      '(POST …/checkpoints); a reconnect first gets the batches still unacknowledged. While the connection is open the gateway ' +
      'heartbeats for the member; comments (": heartbeat") keep it alive when idle. A member not hosted on this gateway is a 404 problem.',
    parameters: parameters('path', memberRecordsRoute.params),
    responses: {
      '200': {
        description: 'An endless text/event-stream of assignment and batch events',
        content: { 'text/event-stream': { schema: { type: 'string' } } },
        'x-event-schemas': { assignment: jsonSchema(memberAssignment), batch: jsonSchema(groupBatchEvent) },
      },
      default: problemResponse,
    },
  };
}

function analyticsLiveObject(): JsonSchema {
  return {
    operationId: 'analyticsLive',
    summary: analyticsLiveRoute.summary,
    description:
      'Each `row` event\'s data is one row (JSON) of the stream, as the application produces it, from the moment of connection ' +
      '(no replay). error_stream and late_stream give the failed and late rows. Comments (": heartbeat") keep idle connections alive.',
    parameters: parameters('path', analyticsLiveRoute.params),
    responses: {
      '200': { description: 'An endless text/event-stream of row events', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      default: problemResponse,
    },
  };
}

/** The OpenAPI 3.1 document of the REST API, generated from the operations' schemas. */
export function openApiDocument(operations: readonly NativeOperation[], version: string): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method.toLowerCase()] = operationObject(op);
  (paths[tailRoute.path] ??= {}).get = tailObject();
  (paths[memberRecordsRoute.path] ??= {}).get = memberRecordsObject();
  (paths[analyticsLiveRoute.path] ??= {}).get = analyticsLiveObject();
  paths['/v1/openapi.json'] = {
    get: { operationId: 'openApi', summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1', content: { 'application/json': { schema: { type: 'object' } } } } } },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'Shardline native API', version, description: 'Streams and records over REST; the same JSON on NATS (docs/nats-api.md).' },
    paths,
    components: { schemas: { Problem: jsonSchema(problemSchema) } },
  };
}
