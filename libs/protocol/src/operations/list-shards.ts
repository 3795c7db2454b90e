/**
 * ListShards
 *   request:  { StreamName? | StreamARN? | NextToken?, ExclusiveStartShardId?, MaxResults? (1-10000,
 *               default and cap 1000), StreamCreationTimestamp?, ShardFilter?: { Type, ShardId?, Timestamp? } }
 *   response: { Shards: [Shard], NextToken? }
 * The NextToken carries the stream, the filter and the last shard listed; it expires after 300 s.
 */
import type { Stream, StreamRef } from '../domain';
import { notFound } from '../errors';
import { SHARD_FILTER_TYPES, type ListShardsInput, listShardsTable } from '../validation/list-shards';
import { decodeNextToken, encodeNextToken } from './next-token';
import { defineOperation, type OperationContext } from './operation';
import { filterShards, type ShardFilterSpec } from './shard-filter';
import { shardsAfter, streamRef, toWireShard, type WireShard } from './wire';

export const LIST_SHARDS_MAX = 1000;

export interface ListShardsOutput {
  Shards: WireShard[];
  NextToken?: string;
}

/** What a ListShards NextToken carries (timestamps as epoch ms). */
interface ListShardsState {
  stream: StreamRef;
  after: string;
  filter?: { type: ShardFilterSpec['type']; shardId?: string; timestamp?: number };
}

function isListShardsState(state: unknown): state is ListShardsState {
  if (typeof state !== 'object' || state === null) return false;
  const { stream, after, filter } = state as Partial<ListShardsState>;
  const filterOk = filter === undefined || (typeof filter === 'object' && SHARD_FILTER_TYPES.includes(filter.type));
  return typeof stream === 'object' && stream !== null && typeof after === 'string' && filterOk;
}

/** Where this page starts: from the request itself, or from the NextToken it continues. */
function startOf(input: ListShardsInput, now: Date): { ref: StreamRef; after?: string; filter?: ShardFilterSpec } {
  if (input.NextToken === undefined) {
    const f = input.ShardFilter;
    const filter = f && { type: f.Type, shardId: f.ShardId, timestamp: f.Timestamp };
    return { ref: streamRef(input), after: input.ExclusiveStartShardId, filter };
  }
  const state = decodeNextToken('ListShards', input.NextToken, now, isListShardsState);
  const f = state.filter;
  const timestamp = f?.timestamp === undefined ? undefined : new Date(f.timestamp);
  const filter = f && { type: f.type, shardId: f.shardId, timestamp };
  return { ref: state.stream, after: state.after, filter };
}

/** StreamCreationTimestamp tells apart streams re-created under one name (compared to the second). */
function checkCreation(stream: Stream, input: ListShardsInput, ctx: OperationContext): void {
  const expected = input.StreamCreationTimestamp;
  if (expected && Math.floor(expected.getTime() / 1000) !== Math.floor(stream.createdAt.getTime() / 1000)) {
    throw notFound(`Stream ${stream.name} under account ${ctx.accountId} not found.`);
  }
}

function tokenState(ref: StreamRef, after: string, filter: ShardFilterSpec | undefined): ListShardsState {
  const state: ListShardsState = { stream: ref, after };
  if (filter) state.filter = { type: filter.type, shardId: filter.shardId, timestamp: filter.timestamp?.getTime() };
  return state;
}

export const listShards = defineOperation({
  name: 'ListShards',
  validation: listShardsTable,
  async execute(backend, input: ListShardsInput, ctx): Promise<ListShardsOutput> {
    const now = ctx.now();
    const start = startOf(input, now);
    const stream = await backend.describeStream(start.ref);
    checkCreation(stream, input, ctx);
    const selected = shardsAfter(filterShards(stream, start.filter, now), start.after);
    const limit = Math.min(input.MaxResults ?? LIST_SHARDS_MAX, LIST_SHARDS_MAX);
    const page = selected.slice(0, limit);
    const output: ListShardsOutput = { Shards: page.map(toWireShard) };
    const last = page[page.length - 1];
    if (selected.length > limit && last) {
      output.NextToken = encodeNextToken('ListShards', tokenState({ arn: stream.arn }, last.shardId, start.filter), now);
    }
    return output;
  },
});
