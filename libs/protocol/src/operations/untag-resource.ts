/**
 * UntagResource
 *   request:  { ResourceARN (stream or consumer), TagKeys: [key] (1-50) }
 *   response: {}
 * Keys the resource does not have are ignored.
 */
import { untagResourceTable, type UntagResourceInput } from '../validation/untag-resource';
import { defineOperation } from './operation';
import { parseResourceArn } from './resource-arn';

export const untagResource = defineOperation({
  name: 'UntagResource',
  validation: untagResourceTable,
  async execute(backend, input: UntagResourceInput): Promise<Record<string, never>> {
    await backend.untagResource(parseResourceArn(input.ResourceARN), input.TagKeys);
    return {};
  },
});
