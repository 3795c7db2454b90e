/**
 * AddTagsToStream
 *   request:  { StreamName? | StreamARN?, Tags: { key: value } }
 *   response: {}
 * A stream holds at most 50 tags, so a call with more than 50 is refused before the
 * backend counts the tags the stream already has.
 */
import { invalidArgument } from '../errors';
import { addTagsToStreamTable, type AddTagsToStreamInput } from '../validation/add-tags-to-stream';
import { defineOperation } from './operation';
import { streamRef, tagsFromMap } from './wire';

export const MAX_TAGS_PER_STREAM = 50;

export const addTagsToStream = defineOperation({
  name: 'AddTagsToStream',
  validation: addTagsToStreamTable,
  async execute(backend, input: AddTagsToStreamInput, ctx): Promise<Record<string, never>> {
    const tags = tagsFromMap(input.Tags);
    if (tags.length > MAX_TAGS_PER_STREAM) {
      const stream = input.StreamName ?? input.StreamARN;
      throw invalidArgument(
        `Failed to add tags to stream ${stream} under account ${ctx.accountId} because a given stream ` +
          `cannot have more than ${MAX_TAGS_PER_STREAM} tags.`,
      );
    }
    await backend.addTags(streamRef(input), tags);
    return {};
  },
});
