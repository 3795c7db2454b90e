/**
 * ListTagsForResource
 *   request:  { ResourceARN (stream or consumer) }
 *   response: { Tags: [{ Key, Value? }] }
 * No paging: a resource holds at most 50 tags.
 */
import type { ResourceInput } from '../validation/common';
import { resourceTable } from '../validation/resource';
import type { WireTag } from './list-tags-for-stream';
import { defineOperation } from './operation';
import { parseResourceArn } from './resource-arn';

export const listTagsForResource = defineOperation({
  name: 'ListTagsForResource',
  validation: resourceTable,
  async execute(backend, input: ResourceInput): Promise<{ Tags: WireTag[] }> {
    const tags = await backend.listResourceTags(parseResourceArn(input.ResourceARN));
    return { Tags: tags.map((tag): WireTag => (tag.value === undefined ? { Key: tag.key } : { Key: tag.key, Value: tag.value })) };
  },
});
