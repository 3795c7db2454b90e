/**
 * ListStreamConsumers
 *   request:  { StreamARN, NextToken?, MaxResults? (1-10000, default and cap 100),
 *               StreamCreationTimestamp?, StreamId? }
 *   response: { Consumers: [{ ConsumerName, ConsumerARN, ConsumerStatus, ConsumerCreationTimestamp }],
 *               NextToken? }
 * Consumers are listed by name; NextToken carries the last name listed and expires after 300 s.
 */
import { notFound } from '../errors';
import { listStreamConsumersTable, type ListStreamConsumersInput } from '../validation/list-stream-consumers';
import { toWireConsumer, type WireConsumer } from './consumer-wire';
import { decodeNextToken, encodeNextToken } from './next-token';
import { defineOperation } from './operation';

export const LIST_STREAM_CONSUMERS_MAX = 100;

export interface ListStreamConsumersOutput {
  Consumers: WireConsumer[];
  NextToken?: string;
}

interface ListConsumersState {
  after: string;
}

function isListConsumersState(state: unknown): state is ListConsumersState {
  return typeof state === 'object' && state !== null && typeof (state as ListConsumersState).after === 'string';
}

export const listStreamConsumers = defineOperation({
  name: 'ListStreamConsumers',
  validation: listStreamConsumersTable,
  async execute(backend, input: ListStreamConsumersInput, ctx): Promise<ListStreamConsumersOutput> {
    const now = ctx.now();
    const after = input.NextToken && decodeNextToken('ListStreamConsumers', input.NextToken, now, isListConsumersState).after;
    const expected = input.StreamCreationTimestamp;
    if (expected) {
      // Tells apart streams re-created under one name (compared to the second, as ListShards does).
      const stream = await backend.describeStream({ arn: input.StreamARN });
      if (Math.floor(expected.getTime() / 1000) !== Math.floor(stream.createdAt.getTime() / 1000)) {
        throw notFound(`Stream ${stream.name} under account ${ctx.accountId} not found.`);
      }
    }
    const limit = Math.min(input.MaxResults ?? LIST_STREAM_CONSUMERS_MAX, LIST_STREAM_CONSUMERS_MAX);
    const page = await backend.listConsumers(input.StreamARN, { limit, ...(after ? { exclusiveStartName: after } : {}) });
    const output: ListStreamConsumersOutput = { Consumers: page.consumers.map(toWireConsumer) };
    const last = page.consumers[page.consumers.length - 1];
    if (page.hasMore && last) output.NextToken = encodeNextToken('ListStreamConsumers', { after: last.name }, now);
    return output;
  },
});
