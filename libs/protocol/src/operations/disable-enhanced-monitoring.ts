/**
 * DisableEnhancedMonitoring
 *   request:  { StreamName? | StreamARN?, ShardLevelMetrics: [metric | ALL] (1-7) }
 *   response: { StreamName, StreamARN, CurrentShardLevelMetrics, DesiredShardLevelMetrics }
 */
import {
  disableEnhancedMonitoringTable,
  type DisableEnhancedMonitoringInput,
} from '../validation/disable-enhanced-monitoring';
import { changeMonitoring, type EnhancedMonitoringOutput } from './enhanced-monitoring';
import { defineOperation } from './operation';

export const disableEnhancedMonitoring = defineOperation({
  name: 'DisableEnhancedMonitoring',
  validation: disableEnhancedMonitoringTable,
  execute(backend, input: DisableEnhancedMonitoringInput): Promise<EnhancedMonitoringOutput> {
    return changeMonitoring(backend, input, 'disable');
  },
});
