/**
 * CreateStream
 *   request:  { StreamName, ShardCount?, StreamModeDetails?: { StreamMode }, Tags?: { key: value } }
 *   response: {} (the stream starts CREATING)
 * Mode: StreamModeDetails.StreamMode, else PROVISIONED when ShardCount is given, else
 * ON_DEMAND. PROVISIONED needs ShardCount; ON_DEMAND starts with 4 shards.
 */
import type { StreamMode } from '../domain';
import { invalidArgument } from '../errors';
import { createStreamTable, type CreateStreamInput } from '../validation/create-stream';
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
  async execute(backend, input: CreateStreamInput): Promise<Record<string, never>> {
    const mode: StreamMode =
      input.StreamModeDetails?.StreamMode ?? (input.ShardCount === undefined ? 'ON_DEMAND' : 'PROVISIONED');
    const shardCount = shardCountFor(mode, input);
    const tags = input.Tags === undefined ? undefined : tagsFromMap(input.Tags);
    await backend.createStream({ name: input.StreamName, shardCount, mode, ...(tags ? { tags } : {}) });
    return {};
  },
});
