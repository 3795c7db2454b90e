/**
 * ListTagsForStream
 *   request:  { StreamName? | StreamARN?, ExclusiveStartTagKey?, Limit? (1-50, default 50) }
 *   response: { Tags: [{ Key, Value? }], HasMoreTags }
 * A stream holds at most 50 tags, so without a Limit every tag fits in one answer.
 */
import { listTagsForStreamTable, type ListTagsForStreamInput } from '../validation/list-tags-for-stream';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export const LIST_TAGS_DEFAULT_LIMIT = 50;

export interface WireTag {
  Key: string;
  Value?: string;
}

export const listTagsForStream = defineOperation({
  name: 'ListTagsForStream',
  validation: listTagsForStreamTable,
  async execute(backend, input: ListTagsForStreamInput): Promise<{ Tags: WireTag[]; HasMoreTags: boolean }> {
    const all = await backend.listTags(streamRef(input));
    const start = input.ExclusiveStartTagKey;
    const remaining = start === undefined ? all : all.filter((tag) => tag.key > start);
    const limit = input.Limit ?? LIST_TAGS_DEFAULT_LIMIT;
    const tags = remaining
      .slice(0, limit)
      .map((tag): WireTag => (tag.value === undefined ? { Key: tag.key } : { Key: tag.key, Value: tag.value }));
    return { Tags: tags, HasMoreTags: remaining.length > limit };
  },
});
