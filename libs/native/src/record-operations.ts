/**
 * Records of the native APIs: put (one or a batch, answered per record like PutRecords)
 * and paged reads of a shard with a cursor that does not expire.
 */
import { invalidArgument, ShardlineError, validationError } from '@shardline/protocol';
import type { IteratorRequest, PutRecordEntry, Shard, Stream } from '@shardline/protocol';
import type { z } from 'zod';
import { defineOperation, type NativeServices } from './operation';
import { noQuery, putBatchBody, putRecordsBody, putResult, readQuery, readResult, recordInput, shardParams, streamParams } from './schemas';
import type { PutBatchResult, ReadResult } from './schemas';
import { entryOf, recordView } from './views';

const DEFAULT_READ_LIMIT = 1000;

/** Parses a start spec (schema-checked already): `TYPE` or `TYPE:<argument>`. */
export function startRequest(spec: string): IteratorRequest {
  const colon = spec.indexOf(':');
  const type = (colon < 0 ? spec : spec.slice(0, colon)) as IteratorRequest['type'];
  const argument = spec.slice(colon + 1);
  if (type === 'AT_TIMESTAMP') {
    const timestamp = new Date(argument);
    if (Number.isNaN(timestamp.getTime())) throw validationError(`from: ${argument} is not an ISO 8601 time`);
    return { type, timestamp };
  }
  return colon < 0 ? { type } : { type, sequenceNumber: argument };
}

export function shardOf(stream: Stream, shardId: string): Shard {
  const shard = stream.shards.find((s) => s.shardId === shardId);
  if (!shard) throw new ShardlineError('ResourceNotFoundException', `Shard ${shardId} in stream ${stream.name} does not exist.`);
  return shard;
}

/** Puts entries (already validated) and answers per record; records over the stream's size limit are refused whole. */
export async function putEntries(services: NativeServices, name: string, entries: PutRecordEntry[]): Promise<PutBatchResult> {
  const stream = await services.activeStream(name);
  const maxBytes = (stream.maxRecordSizeKiB ?? 1024) * 1024;
  const tooLarge = entries.findIndex((e) => e.data.length > maxBytes);
  if (tooLarge >= 0) throw validationError(`records.${tooLarge}: data is larger than the stream's ${maxBytes} bytes`);
  const outcome = await services.backend.putRecords({ name }, entries);
  const failed = outcome.records.filter((r) => 'errorCode' in r).length;
  return { failedRecordCount: failed, records: outcome.records, encryptionType: outcome.encryptionType };
}

export const putRecords = defineOperation({
  name: 'putRecords',
  method: 'POST',
  path: '/v1/streams/{name}/records',
  summary: 'Put one record, or up to 500 under `records` (answered per record, like PutRecords)',
  params: streamParams,
  query: noQuery,
  body: putRecordsBody,
  bodyBranch: (raw) => (typeof raw === 'object' && raw !== null && 'records' in raw ? putBatchBody : recordInput),
  response: putResult,
  async run(services, { params, body }) {
    if ('records' in body) return putEntries(services, params.name, body.records.map(entryOf));
    const result = await putEntries(services, params.name, [entryOf(body as z.output<typeof recordInput>)]);
    const [record] = result.records;
    if ('errorCode' in record) throw new ShardlineError(record.errorCode, record.errorMessage);
    return { ...record, encryptionType: result.encryptionType };
  },
});

export const readRecords = defineOperation({
  name: 'getRecords',
  method: 'GET',
  path: '/v1/streams/{name}/shards/{shardId}/records',
  summary: 'Read a page of a shard\'s records from a start position or a cursor',
  params: shardParams,
  query: readQuery,
  response: readResult,
  async run(services, { params, query }): Promise<ReadResult> {
    const stream = await services.activeStream(params.name);
    const shard = shardOf(stream, params.shardId);
    let position;
    if (query.cursor !== undefined) {
      const cursor = services.cursors.decode(query.cursor);
      if (cursor.streamId !== stream.id || cursor.shardIndex !== shard.index) {
        throw invalidArgument('The cursor belongs to another stream or shard.');
      }
      position = cursor.position;
    } else position = await services.startPosition(stream, shard, startRequest(query.from ?? 'TRIM_HORIZON'));
    const address = { streamId: stream.id, shardIndex: shard.index };
    const read = await services.read(address, position, query.limit ?? DEFAULT_READ_LIMIT);
    const ended = shard.status === 'CLOSED' && read.atTip;
    const children = stream.shards.filter((s) => s.parentShardId === shard.shardId || s.adjacentParentShardId === shard.shardId);
    return {
      records: read.records.map((r) => recordView(shard.shardId, r)),
      nextCursor: ended ? null : services.cursors.encode({ ...address, position: read.next }),
      millisBehindLatest: read.atTip || read.lastArrival === undefined ? 0 : Math.max(0, services.now() - read.lastArrival),
      ...(ended ? { childShards: children.map((s) => s.shardId) } : {}),
    };
  },
});
