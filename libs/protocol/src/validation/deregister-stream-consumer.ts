/** DeregisterStreamConsumer request members. */
import { consumerRefFields, requireConsumerRef, type ConsumerRefInput } from './consumers';
import { defineTable } from './table';

/** Validated DeregisterStreamConsumer input (wire shape). */
export type DeregisterStreamConsumerInput = ConsumerRefInput;

export const deregisterStreamConsumerTable = defineTable<DeregisterStreamConsumerInput>(consumerRefFields, requireConsumerRef);
