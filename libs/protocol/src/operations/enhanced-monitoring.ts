/** The rules shared by EnableEnhancedMonitoring and DisableEnhancedMonitoring. */
import type { KinesisBackend, StreamRef } from '../domain';
import { SHARD_LEVEL_METRICS, type ShardLevelMetricsInput } from '../validation/shard-level-metrics';
import { streamRef } from './wire';

/** Enable/DisableEnhancedMonitoring's answer. */
export interface EnhancedMonitoringOutput {
  StreamName: string;
  StreamARN: string;
  CurrentShardLevelMetrics: string[];
  DesiredShardLevelMetrics: string[];
}

/** The requested metrics with ALL expanded to every metric, in AWS's order, without repeats. */
export function expandMetrics(requested: readonly string[]): string[] {
  if (requested.includes('ALL')) return [...SHARD_LEVEL_METRICS];
  return SHARD_LEVEL_METRICS.filter((metric) => requested.includes(metric));
}

/** The metrics a stream has after enabling or disabling `metrics` (already expanded), in AWS's order. */
export function nextShardLevelMetrics(current: readonly string[], metrics: readonly string[], action: 'enable' | 'disable'): string[] {
  return SHARD_LEVEL_METRICS.filter((metric) =>
    action === 'enable' ? current.includes(metric) || metrics.includes(metric) : current.includes(metric) && !metrics.includes(metric),
  );
}

export async function changeMonitoring(
  backend: KinesisBackend,
  input: ShardLevelMetricsInput,
  action: 'enable' | 'disable',
): Promise<EnhancedMonitoringOutput> {
  const ref: StreamRef = streamRef(input);
  const change = await backend.updateShardLevelMetrics(ref, expandMetrics(input.ShardLevelMetrics), action);
  return {
    StreamName: change.streamName,
    StreamARN: change.streamArn,
    CurrentShardLevelMetrics: change.current,
    DesiredShardLevelMetrics: change.desired,
  };
}
