/**
 * IncreaseStreamRetentionPeriod
 *   request:  { StreamName? | StreamARN?, RetentionPeriodHours (24-8760) }
 *   response: {}
 */
import {
  increaseStreamRetentionPeriodTable,
  type IncreaseStreamRetentionPeriodInput,
} from '../validation/increase-stream-retention-period';
import { defineOperation } from './operation';
import { checkMinimumRetention } from './retention';
import { streamRef } from './wire';

export const increaseStreamRetentionPeriod = defineOperation({
  name: 'IncreaseStreamRetentionPeriod',
  validation: increaseStreamRetentionPeriodTable,
  async execute(backend, input: IncreaseStreamRetentionPeriodInput): Promise<Record<string, never>> {
    checkMinimumRetention(input.RetentionPeriodHours);
    await backend.setRetention(streamRef(input), input.RetentionPeriodHours, 'increase');
    return {};
  },
});
