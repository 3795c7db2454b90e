/** ListStreams request members. */
import { intRange, nextToken, streamName } from './common';
import { defineTable } from './table';

/** Validated ListStreams input (wire shape). */
export interface ListStreamsInput {
  Limit?: number;
  ExclusiveStartStreamName?: string;
  NextToken?: string;
}

export const listStreamsTable = defineTable<ListStreamsInput>({
  Limit: intRange(1, 10000),
  ExclusiveStartStreamName: streamName,
  NextToken: nextToken,
});
