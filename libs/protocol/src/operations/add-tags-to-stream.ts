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

/** Refuses more tags in one call than a stream may hold (`action`: "add tags to", "create"). */
export function checkTagCount(action: string, stream: string | undefined, count: number, accountId: string): void {
  if (count > MAX_TAGS_PER_STREAM) {
    throw invalidArgument(
      `Failed to ${action} stream ${stream} under account ${accountId} because a given stream ` +
        `cannot have more than ${MAX_TAGS_PER_STREAM} tags.`,
    );
  }
}

export const addTagsToStream = defineOperation({
  name: 'AddTagsToStream',
  validation: addTagsToStreamTable,
  async execute(backend, input: AddTagsToStreamInput, ctx): Promise<Record<string, never>> {
    const tags = tagsFromMap(input.Tags);
    checkTagCount('add tags to', input.StreamName ?? input.StreamARN, tags.length, ctx.accountId);
    await backend.addTags(streamRef(input), tags);
    return {};
  },
});
