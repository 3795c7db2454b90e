/**
 * RemoveTagsFromStream
 *   request:  { StreamName? | StreamARN?, TagKeys: [key] (1-50) }
 *   response: {} (unknown keys are ignored)
 */
import { removeTagsFromStreamTable, type RemoveTagsFromStreamInput } from '../validation/remove-tags-from-stream';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export const removeTagsFromStream = defineOperation({
  name: 'RemoveTagsFromStream',
  validation: removeTagsFromStreamTable,
  async execute(backend, input: RemoveTagsFromStreamInput): Promise<Record<string, never>> {
    await backend.removeTags(streamRef(input), input.TagKeys);
    return {};
  },
});
