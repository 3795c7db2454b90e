/**
 * ListStreams
 *   request:  { Limit? (1-10000, default 100), ExclusiveStartStreamName?, NextToken? }
 *   response: { StreamNames: [name], HasMoreStreams, NextToken?,
 *               StreamSummaries: [{ StreamName, StreamARN, StreamStatus, StreamModeDetails,
 *               StreamCreationTimestamp }] }
 * At most 100 streams per call whatever the Limit. NextToken continues after the last
 * name of the previous page and expires after 300 s.
 */
import type { Stream, StreamStatus } from '../domain';
import { listStreamsTable, type ListStreamsInput } from '../validation/list-streams';
import { decodeNextToken, encodeNextToken } from './next-token';
import { defineOperation } from './operation';
import { epochSeconds, type WireStreamModeDetails } from './wire';

export const LIST_STREAMS_MAX = 100;

/** One entry of StreamSummaries. */
export interface WireStreamSummary {
  StreamName: string;
  StreamARN: string;
  StreamStatus: StreamStatus;
  StreamModeDetails: WireStreamModeDetails;
  StreamCreationTimestamp: number;
}

export interface ListStreamsOutput {
  StreamNames: string[];
  HasMoreStreams: boolean;
  NextToken?: string;
  StreamSummaries: WireStreamSummary[];
}

interface ListStreamsState {
  after: string;
}

function isListStreamsState(state: unknown): state is ListStreamsState {
  return typeof state === 'object' && state !== null && typeof (state as ListStreamsState).after === 'string';
}

function toSummary(stream: Stream): WireStreamSummary {
  return {
    StreamName: stream.name,
    StreamARN: stream.arn,
    StreamStatus: stream.status,
    StreamModeDetails: { StreamMode: stream.mode },
    StreamCreationTimestamp: epochSeconds(stream.createdAt),
  };
}

export const listStreams = defineOperation({
  name: 'ListStreams',
  validation: listStreamsTable,
  async execute(backend, input: ListStreamsInput, ctx): Promise<ListStreamsOutput> {
    const now = ctx.now();
    const after =
      input.NextToken !== undefined
        ? decodeNextToken('ListStreams', input.NextToken, now, isListStreamsState).after
        : input.ExclusiveStartStreamName;
    const limit = Math.min(input.Limit ?? LIST_STREAMS_MAX, LIST_STREAMS_MAX);
    const page = await backend.listStreams({ limit, ...(after !== undefined ? { exclusiveStartName: after } : {}) });
    const output: ListStreamsOutput = {
      StreamNames: page.streams.map((stream) => stream.name),
      HasMoreStreams: page.hasMore,
      StreamSummaries: page.streams.map(toSummary),
    };
    const last = page.streams[page.streams.length - 1];
    if (page.hasMore && last) output.NextToken = encodeNextToken('ListStreams', { after: last.name }, now);
    return output;
  },
});
