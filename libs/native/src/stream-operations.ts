/**
 * Stream control of the native APIs: REST under /v1/streams, NATS on shardline.api.<name>.
 * Each maps its JSON onto the Kinesis backend port, as the Kinesis operations do.
 */
import { validationError } from '@shardline/protocol';
import type { KinesisBackend, StreamMode } from '@shardline/protocol';
import { listCursor } from './cursors';
import { defineOperation } from './operation';
import {
  createStreamBody,
  deleteStreamQuery,
  deletedView,
  listStreamsQuery,
  noParams,
  noQuery,
  streamList,
  streamParams,
  streamView as streamViewSchema,
  updateStreamBody,
} from './schemas';
import { streamSummary, streamView } from './views';

/** Shards an ON_DEMAND stream starts with, as CreateStream (AWS's initial on-demand capacity). */
const ON_DEMAND_SHARDS = 4;

async function describe(backend: KinesisBackend, name: string) {
  const [stream, tags] = await Promise.all([backend.describeStream({ name }), backend.listTags({ name })]);
  return streamView(stream, tags);
}

export const createStream = defineOperation({
  name: 'createStream',
  method: 'POST',
  path: '/v1/streams',
  summary: 'Create a stream (it starts CREATING, then turns ACTIVE)',
  status: 201,
  params: noParams,
  query: noQuery,
  body: createStreamBody,
  response: streamViewSchema,
  async run({ backend }, { body }) {
    const mode: StreamMode = body.mode ?? (body.shardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
    if (mode === 'PROVISIONED' && body.shardCount === undefined) throw validationError('body.shardCount: required when mode is PROVISIONED');
    const shardCount = mode === 'ON_DEMAND' ? ON_DEMAND_SHARDS : body.shardCount!;
    const tags = Object.entries(body.tags ?? {}).map(([key, value]) => ({ key, value }));
    await backend.createStream({ name: body.name, shardCount, mode, ...(tags.length ? { tags } : {}) });
    return describe(backend, body.name);
  },
});

export const listStreams = defineOperation({
  name: 'listStreams',
  method: 'GET',
  path: '/v1/streams',
  summary: 'List streams by name, a page at a time',
  params: noParams,
  query: listStreamsQuery,
  response: streamList,
  async run({ backend }, { query }) {
    const exclusiveStartName = query.cursor === undefined ? undefined : listCursor.decode(query.cursor);
    const page = await backend.listStreams({ limit: query.limit ?? 100, ...(exclusiveStartName ? { exclusiveStartName } : {}) });
    const last = page.streams.at(-1);
    return { streams: page.streams.map(streamSummary), nextCursor: page.hasMore && last ? listCursor.encode(last.name) : null };
  },
});

export const describeStream = defineOperation({
  name: 'describeStream',
  method: 'GET',
  path: '/v1/streams/{name}',
  summary: 'Describe a stream with all its shards (open and closed) and tags',
  params: streamParams,
  query: noQuery,
  response: streamViewSchema,
  run: ({ backend }, { params }) => describe(backend, params.name),
});

export const updateStream = defineOperation({
  name: 'updateStream',
  method: 'PATCH',
  path: '/v1/streams/{name}',
  summary: 'Change retention, shard count, mode, maximum record size or tags',
  params: streamParams,
  query: noQuery,
  body: updateStreamBody,
  response: streamViewSchema,
  async run({ backend }, { params, body }) {
    const ref = { name: params.name };
    const stream = await backend.describeStream(ref);
    if (body.retentionHours !== undefined && body.retentionHours !== stream.retentionHours) {
      await backend.setRetention(ref, body.retentionHours, body.retentionHours > stream.retentionHours ? 'increase' : 'decrease');
    }
    if (body.maxRecordSizeKiB !== undefined) await backend.updateMaxRecordSize(ref, body.maxRecordSizeKiB);
    if (body.tags !== undefined) {
      const keep = new Set(Object.keys(body.tags));
      const drop = (await backend.listTags(ref)).map((t) => t.key).filter((key) => !keep.has(key));
      if (drop.length) await backend.removeTags(ref, drop);
      const tags = Object.entries(body.tags).map(([key, value]) => ({ key, value }));
      if (tags.length) await backend.addTags(ref, tags);
    }
    if (body.mode !== undefined && body.mode !== stream.mode) await backend.updateStreamMode(ref, body.mode);
    if (body.shardCount !== undefined) await backend.updateShardCount(ref, body.shardCount);
    return describe(backend, params.name);
  },
});

export const deleteStream = defineOperation({
  name: 'deleteStream',
  method: 'DELETE',
  path: '/v1/streams/{name}',
  summary: 'Delete a stream and its records (refused while it has consumers, unless force=true)',
  status: 202,
  params: streamParams,
  query: deleteStreamQuery,
  response: deletedView,
  async run({ backend }, { params, query }) {
    await backend.deleteStream({ name: params.name }, query.force === true || query.force === 'true');
    return { name: params.name, status: 'DELETING' as const };
  },
});
