/**
 * DecreaseStreamRetentionPeriod
 *   request:  { StreamName? | StreamARN?, RetentionPeriodHours (24-8760) }
 *   response: {}
 */
import {
  decreaseStreamRetentionPeriodTable,
  type DecreaseStreamRetentionPeriodInput,
} from '../validation/decrease-stream-retention-period';
import { defineOperation } from './operation';
import { checkMinimumRetention } from './retention';
import { streamRef } from './wire';

export const decreaseStreamRetentionPeriod = defineOperation({
  name: 'DecreaseStreamRetentionPeriod',
  validation: decreaseStreamRetentionPeriodTable,
  async execute(backend, input: DecreaseStreamRetentionPeriodInput): Promise<Record<string, never>> {
    checkMinimumRetention(input.RetentionPeriodHours);
    await backend.setRetention(streamRef(input), input.RetentionPeriodHours, 'decrease');
    return {};
  },
});
