/**
 * Analytics applications over the native APIs (REST under /v1/analytics, NATS on
 * shardline.api.<name>): create (the SQL is compiled first: a mistake is a 400 problem with
 * its line and column), list, describe, update, start, stop, delete, and a preview that runs
 * SQL over a live stream for a few seconds. The live rows of a running application are an SSE
 * route (analyticsLiveRoute), outside the JSON operations.
 */
import { unavailable } from '@shardline/protocol';
import { SqlError } from '@shardline/sql';
import { discoverSchema, type AnalyticsControl } from '@shardline/analytics';
import { defineOperation, type NativeServices } from './operation';
import { ValidationProblem } from './problems';
import { noParams, noQuery } from './schemas';
import {
  applicationDeleted,
  applicationList,
  applicationParams,
  applicationView,
  createApplicationBody,
  discoverSchemaBody,
  discoverSchemaView,
  previewBody,
  previewView,
  startApplicationBody,
  updateApplicationBody,
} from './analytics-schemas';

export function analyticsOf(services: NativeServices): AnalyticsControl {
  if (!services.analytics) throw unavailable('Analytics is not available on this server');
  return services.analytics;
}

/** A SQL mistake as a validation problem at body.sql, with its line and column. */
async function compiling<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof SqlError) throw new ValidationProblem([{ path: 'body.sql', message: err.message }], { line: err.line, column: err.column });
    throw err;
  }
}

export const createApplication = defineOperation({
  name: 'createAnalyticsApplication',
  method: 'POST',
  path: '/v1/analytics/applications',
  summary: 'Create an analytics application (READY): its input mapping, SQL (compiled now) and outputs',
  status: 201,
  params: noParams,
  query: noQuery,
  body: createApplicationBody,
  response: applicationView,
  run: (services, { body }) => compiling(() => analyticsOf(services).create(body)),
});

export const listApplications = defineOperation({
  name: 'listAnalyticsApplications',
  method: 'GET',
  path: '/v1/analytics/applications',
  summary: 'List analytics applications',
  params: noParams,
  query: noQuery,
  response: applicationList,
  run: async (services) => ({ applications: await analyticsOf(services).list() }),
});

export const describeApplication = defineOperation({
  name: 'describeAnalyticsApplication',
  method: 'GET',
  path: '/v1/analytics/applications/{name}',
  summary: 'Describe an analytics application: configuration, status, in-application streams, last checkpoint',
  params: applicationParams,
  query: noQuery,
  response: applicationView,
  run: (services, { params }) => analyticsOf(services).describe(params.name),
});

export const updateApplication = defineOperation({
  name: 'updateAnalyticsApplication',
  method: 'PATCH',
  path: '/v1/analytics/applications/{name}',
  summary: 'Update an application’s SQL, input or outputs (a new version; a running application restarts on it from its checkpoint)',
  params: applicationParams,
  query: noQuery,
  body: updateApplicationBody,
  response: applicationView,
  run: (services, { params, body }) => compiling(() => analyticsOf(services).update(params.name, body)),
});

export const startApplication = defineOperation({
  name: 'startAnalyticsApplication',
  method: 'POST',
  path: '/v1/analytics/applications/{name}/start',
  summary: 'Start an application (STARTING, then RUNNING once a runtime took it) from NOW, TRIM_HORIZON or LAST_STOPPED_POINT',
  status: 202,
  params: applicationParams,
  query: noQuery,
  body: startApplicationBody,
  response: applicationView,
  run: (services, { params, body }) => analyticsOf(services).start(params.name, body.startingPosition),
});

export const stopApplication = defineOperation({
  name: 'stopAnalyticsApplication',
  method: 'POST',
  path: '/v1/analytics/applications/{name}/stop',
  summary: 'Stop an application; its runner stores a final checkpoint (resume with LAST_STOPPED_POINT)',
  status: 202,
  params: applicationParams,
  query: noQuery,
  response: applicationView,
  run: (services, { params }) => analyticsOf(services).stop(params.name),
});

export const deleteApplication = defineOperation({
  name: 'deleteAnalyticsApplication',
  method: 'DELETE',
  path: '/v1/analytics/applications/{name}',
  summary: 'Delete an application (a running one is stopped)',
  params: applicationParams,
  query: noQuery,
  response: applicationDeleted,
  async run(services, { params }) {
    await analyticsOf(services).delete(params.name);
    return { name: params.name, deleted: true as const };
  },
});

export const previewSql = defineOperation({
  name: 'previewAnalytics',
  method: 'POST',
  path: '/v1/analytics/preview',
  summary: 'Run an application’s SQL or one SELECT over a live stream or delivery stream for a few seconds (from now on) without creating an application; answers the rows',
  params: noParams,
  query: noQuery,
  body: previewBody,
  response: previewView,
  run: (services, { body }) => compiling(() => analyticsOf(services).preview(body)),
});

export const discoverInputSchema = defineOperation({
  name: 'discoverAnalyticsSchema',
  method: 'POST',
  path: '/v1/analytics/discover-schema',
  summary: 'Infer an input mapping (format, columns with SQL types and paths) from a sample of a stream’s records, from TRIM_HORIZON',
  params: noParams,
  query: noQuery,
  body: discoverSchemaBody,
  response: discoverSchemaView,
  async run(services, { body }) {
    const analytics = analyticsOf(services); // 503 where the server offers no analytics, like the other routes
    if (body.deliveryStreamName !== undefined) return analytics.discover(body.deliveryStreamName, body.sampleSize, body.format);
    const stream = await services.activeStream(body.streamName!);
    // Oldest shards first (parents before children), an even share of the sample each, then what is left.
    const shards = [...stream.shards].sort((a, b) => a.index - b.index);
    const records: Buffer[] = [];
    for (const [n, shard] of shards.entries()) {
      const share = Math.ceil((body.sampleSize - records.length) / (shards.length - n));
      if (share <= 0) break;
      const from = await services.startPosition(stream, shard, { type: 'TRIM_HORIZON' });
      const read = await services.read({ streamId: stream.id, shardIndex: shard.index }, from, share);
      records.push(...read.records.map((r) => r.data));
    }
    return discoverSchema(records, body.format);
  },
});

export const analyticsOperations = [
  createApplication,
  listApplications,
  describeApplication,
  updateApplication,
  startApplication,
  stopApplication,
  deleteApplication,
  previewSql,
  discoverInputSchema,
];
