/** UntagResource request members: a stream or consumer ARN and 1 to 50 tag keys. */
import { resourceARN, tagKey, type ResourceInput } from './common';
import { defineTable } from './table';

export interface UntagResourceInput extends ResourceInput {
  TagKeys: string[];
}

export const untagResourceTable = defineTable<UntagResourceInput>({
  ResourceARN: resourceARN,
  TagKeys: { type: 'List', notNull: true, minLength: 1, maxLength: 50, member: tagKey },
});
