/**
 * TagResource
 *   request:  { ResourceARN (stream or consumer), Tags: { key: value } (1-200) }
 *   response: {}
 * A resource holds at most 50 tags, as a stream does through AddTagsToStream.
 */
import { tagResourceTable, type TagResourceInput } from '../validation/tag-resource';
import { checkTagCount } from './add-tags-to-stream';
import { defineOperation } from './operation';
import { parseResourceArn } from './resource-arn';
import { tagsFromMap } from './wire';

export const tagResource = defineOperation({
  name: 'TagResource',
  validation: tagResourceTable,
  async execute(backend, input: TagResourceInput, ctx): Promise<Record<string, never>> {
    const tags = tagsFromMap(input.Tags);
    checkTagCount('add tags to', input.ResourceARN, tags.length, ctx.accountId);
    await backend.tagResource(parseResourceArn(input.ResourceARN), tags);
    return {};
  },
});
