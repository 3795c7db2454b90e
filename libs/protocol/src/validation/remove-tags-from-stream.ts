/** RemoveTagsFromStream request members: 1 to 50 tag keys. */
import { requireStreamRef, streamRefFields, tagKey, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Validated RemoveTagsFromStream input (wire shape). */
export interface RemoveTagsFromStreamInput extends StreamRefInput {
  TagKeys: string[];
}

export const removeTagsFromStreamTable = defineTable<RemoveTagsFromStreamInput>(
  { ...streamRefFields, TagKeys: { type: 'List', notNull: true, minLength: 1, maxLength: 50, member: tagKey } },
  requireStreamRef,
);
