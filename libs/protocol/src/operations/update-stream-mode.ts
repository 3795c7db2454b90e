/**
 * UpdateStreamMode
 *   request:  { StreamARN, StreamModeDetails: { StreamMode: PROVISIONED | ON_DEMAND } }
 *   response: {}
 */
import { updateStreamModeTable, type UpdateStreamModeInput } from '../validation/update-stream-mode';
import { defineOperation } from './operation';

export const updateStreamMode = defineOperation({
  name: 'UpdateStreamMode',
  validation: updateStreamModeTable,
  async execute(backend, input: UpdateStreamModeInput): Promise<Record<string, never>> {
    await backend.updateStreamMode({ arn: input.StreamARN }, input.StreamModeDetails.StreamMode);
    return {};
  },
});
