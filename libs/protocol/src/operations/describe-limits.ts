/**
 * DescribeLimits
 *   request:  {}
 *   response: { ShardLimit, OpenShardCount, OnDemandStreamCount, OnDemandStreamCountLimit }
 */
import { describeLimitsTable, type DescribeLimitsInput } from '../validation/describe-limits';
import { defineOperation } from './operation';

export interface DescribeLimitsOutput {
  ShardLimit: number;
  OpenShardCount: number;
  OnDemandStreamCount: number;
  OnDemandStreamCountLimit: number;
}

export const describeLimits = defineOperation({
  name: 'DescribeLimits',
  validation: describeLimitsTable,
  async execute(backend, _input: DescribeLimitsInput): Promise<DescribeLimitsOutput> {
    const limits = await backend.describeLimits();
    return {
      ShardLimit: limits.shardLimit,
      OpenShardCount: limits.openShardCount,
      OnDemandStreamCount: limits.onDemandStreamCount,
      OnDemandStreamCountLimit: limits.onDemandStreamCountLimit,
    };
  },
});
