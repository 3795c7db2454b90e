/**
 * CreateStream
 *   request:  { StreamName, ShardCount?, StreamModeDetails?: { StreamMode }, Tags?: { key: value } }
 *   response: {} (the stream starts CREATING)
 * Mode: StreamModeDetails.StreamMode, else PROVISIONED when ShardCount is given, else
 * ON_DEMAND. PROVISIONED needs ShardCount; ON_DEMAND starts with 4 shards. More than 50 tags
 * are refused before anything is created (InvalidArgumentException, as AddTagsToStream).
 */
import type { StreamMode } from '../domain';
import { invalidArgument } from '../errors';
import { createStreamTable, type CreateStreamInput } from '../validation/create-stream';
import { checkTagCount } from './add-tags-to-stream';
import { defineOperation } from './operation';
import { tagsFromMap } from './wire';

/** Shards an ON_DEMAND stream starts with (AWS's initial on-demand capacity, 4 MiB/s in). */
export const ON_DEMAND_INITIAL_SHARDS = 4;

function shardCountFor(mode: StreamMode, input: CreateStreamInput): number {
  if (mode === 'ON_DEMAND') return ON_DEMAND_INITIAL_SHARDS;
  if (input.ShardCount === undefined) {
    throw invalidArgument('ShardCount must be provided when the StreamMode is PROVISIONED.');
  }
  return input.ShardCount;
}

export const createStream = defineOperation({
  name: 'CreateStream',
  validation: createStreamTable,
  async execute(backend, input: CreateStreamInput, ctx): Promise<Record<string, never>> {
    const mode: StreamMode =
      input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
    const shardCount = shardCountFor(mode, input);
    const tags = input.Tags === undefined ? undefined : tagsFromMap(input.Tags);
    // The table allows AWS's 200 TagMap entries on the wire; a stream holds at most 50 tags.
    if (tags) checkTagCount('create', input.StreamName, tags.length, ctx.accountId);
    await backend.createStream({ name: input.StreamName, shardCount, mode, ...(tags ? { tags } : {}) });
    return {};
  },
});
