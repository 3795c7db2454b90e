/** DisableEnhancedMonitoring request members (shape shared with Enable). */
import { shardLevelMetricsTable, type ShardLevelMetricsInput } from './shard-level-metrics';
import type { ValidationTable } from './table';

/** Validated DisableEnhancedMonitoring input (wire shape). */
export type DisableEnhancedMonitoringInput = ShardLevelMetricsInput;

export const disableEnhancedMonitoringTable: ValidationTable<DisableEnhancedMonitoringInput> = shardLevelMetricsTable;
