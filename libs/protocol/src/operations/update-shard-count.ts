/**
 * UpdateShardCount
 *   request:  { StreamName? | StreamARN?, TargetShardCount, ScalingType: UNIFORM_SCALING }
 *   response: { CurrentShardCount, StreamName, TargetShardCount, StreamARN }
 */
import { updateShardCountTable, type UpdateShardCountInput } from '../validation/update-shard-count';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export interface UpdateShardCountOutput {
  CurrentShardCount: number;
  StreamName: string;
  TargetShardCount: number;
  StreamARN: string;
}

export const updateShardCount = defineOperation({
  name: 'UpdateShardCount',
  validation: updateShardCountTable,
  async execute(backend, input: UpdateShardCountInput): Promise<UpdateShardCountOutput> {
    const update = await backend.updateShardCount(streamRef(input), input.TargetShardCount);
    return {
      CurrentShardCount: update.currentShardCount,
      StreamName: update.streamName,
      TargetShardCount: update.targetShardCount,
      StreamARN: update.streamArn,
    };
  },
});
