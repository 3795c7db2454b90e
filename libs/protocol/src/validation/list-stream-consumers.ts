/** ListStreamConsumers request members. */
import { intRange, nextToken, requiredStreamARN } from './common';
import { streamId } from './consumers';
import { defineTable } from './table';

/** Validated ListStreamConsumers input (wire shape). */
export interface ListStreamConsumersInput {
  StreamARN: string;
  NextToken?: string;
  MaxResults?: number;
  StreamCreationTimestamp?: Date;
  StreamId?: string;
}

export const listStreamConsumersTable = defineTable<ListStreamConsumersInput>({
  StreamARN: requiredStreamARN,
  NextToken: nextToken,
  MaxResults: intRange(1, 10000),
  StreamCreationTimestamp: { type: 'Timestamp' },
  StreamId: streamId,
});
