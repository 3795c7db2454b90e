/** ListTagsForStream request members. */
import { intRange, requireStreamRef, streamRefFields, tagKey, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Validated ListTagsForStream input (wire shape). */
export interface ListTagsForStreamInput extends StreamRefInput {
  ExclusiveStartTagKey?: string;
  Limit?: number;
}

export const listTagsForStreamTable = defineTable<ListTagsForStreamInput>(
  { ...streamRefFields, ExclusiveStartTagKey: tagKey, Limit: intRange(1, 50) },
  requireStreamRef,
);
