/** EnableEnhancedMonitoring request members (shape shared with Disable). */
import { shardLevelMetricsTable, type ShardLevelMetricsInput } from './shard-level-metrics';
import type { ValidationTable } from './table';

/** Validated EnableEnhancedMonitoring input (wire shape). */
export type EnableEnhancedMonitoringInput = ShardLevelMetricsInput;

export const enableEnhancedMonitoringTable: ValidationTable<EnableEnhancedMonitoringInput> = shardLevelMetricsTable;
