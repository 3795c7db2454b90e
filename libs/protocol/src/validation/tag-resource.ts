/** TagResource request members: a stream or consumer ARN and 1 to 200 tags per call. */
import { resourceARN, tagMap, type ResourceInput } from './common';
import { defineTable } from './table';

export interface TagResourceInput extends ResourceInput {
  Tags: Record<string, string>;
}

export const tagResourceTable = defineTable<TagResourceInput>({
  ResourceARN: resourceARN,
  Tags: { ...tagMap, notNull: true, minLength: 1 },
});
