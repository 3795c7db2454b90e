/** AddTagsToStream request members. */
import { requireStreamRef, streamRefFields, tagMap, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Validated AddTagsToStream input (wire shape). */
export interface AddTagsToStreamInput extends StreamRefInput {
  Tags: Record<string, string>;
}

export const addTagsToStreamTable = defineTable<AddTagsToStreamInput>(
  { ...streamRefFields, Tags: { ...tagMap, notNull: true } },
  requireStreamRef,
);
