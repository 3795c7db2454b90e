/** Request members shared by EnableEnhancedMonitoring and DisableEnhancedMonitoring. */
import { requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Kinesis's shard-level metrics, in the order AWS lists them, and ALL. */
export const SHARD_LEVEL_METRICS = [
  'IncomingBytes',
  'IncomingRecords',
  'OutgoingBytes',
  'OutgoingRecords',
  'WriteProvisionedThroughputExceeded',
  'ReadProvisionedThroughputExceeded',
  'IteratorAgeMilliseconds',
] as const;

/** Validated Enable/DisableEnhancedMonitoring input (wire shape). */
export interface ShardLevelMetricsInput extends StreamRefInput {
  ShardLevelMetrics: string[];
}

export const shardLevelMetricsTable = defineTable<ShardLevelMetricsInput>(
  {
    ...streamRefFields,
    ShardLevelMetrics: {
      type: 'List',
      notNull: true,
      minLength: 1,
      maxLength: 7,
      member: { type: 'String', enum: [...SHARD_LEVEL_METRICS, 'ALL'] },
    },
  },
  requireStreamRef,
);
