/** DescribeStreamConsumer request members. */
import { consumerRefFields, requireConsumerRef, type ConsumerRefInput } from './consumers';
import { defineTable } from './table';

/** Validated DescribeStreamConsumer input (wire shape). */
export type DescribeStreamConsumerInput = ConsumerRefInput;

export const describeStreamConsumerTable = defineTable<DescribeStreamConsumerInput>(consumerRefFields, requireConsumerRef);
