/** DeleteStream request members. */
import { requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Validated DeleteStream input (wire shape). */
export interface DeleteStreamInput extends StreamRefInput {
  EnforceConsumerDeletion?: boolean;
}

export const deleteStreamTable = defineTable<DeleteStreamInput>(
  { ...streamRefFields, EnforceConsumerDeletion: { type: 'Boolean' } },
  requireStreamRef,
);
