/**
 * EnableEnhancedMonitoring
 *   request:  { StreamName? | StreamARN?, ShardLevelMetrics: [metric | ALL] (1-7) }
 *   response: { StreamName, StreamARN, CurrentShardLevelMetrics, DesiredShardLevelMetrics }
 * Current is what the stream had before the call, Desired what it has after it.
 */
import {
  enableEnhancedMonitoringTable,
  type EnableEnhancedMonitoringInput,
} from '../validation/enable-enhanced-monitoring';
import { changeMonitoring, type EnhancedMonitoringOutput } from './enhanced-monitoring';
import { defineOperation } from './operation';

export const enableEnhancedMonitoring = defineOperation({
  name: 'EnableEnhancedMonitoring',
  validation: enableEnhancedMonitoringTable,
  execute(backend, input: EnableEnhancedMonitoringInput): Promise<EnhancedMonitoringOutput> {
    return changeMonitoring(backend, input, 'enable');
  },
});
