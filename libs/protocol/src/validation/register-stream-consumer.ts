/** RegisterStreamConsumer request members. */
import { requiredStreamARN, tagMap } from './common';
import { consumerName, streamId } from './consumers';
import { defineTable } from './table';

/** Validated RegisterStreamConsumer input (wire shape). */
export interface RegisterStreamConsumerInput {
  StreamARN: string;
  ConsumerName: string;
  StreamId?: string;
  Tags?: Record<string, string>;
}

export const registerStreamConsumerTable = defineTable<RegisterStreamConsumerInput>({
  StreamARN: requiredStreamARN,
  ConsumerName: { ...consumerName, notNull: true },
  StreamId: streamId,
  Tags: tagMap,
});
