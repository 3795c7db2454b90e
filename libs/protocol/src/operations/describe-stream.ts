/**
 * DescribeStream
 *   request:  { StreamName? | StreamARN?, Limit? (1-10000, default 100), ExclusiveStartShardId? }
 *   response: { StreamDescription: { StreamName, StreamARN, StreamStatus, StreamModeDetails,
 *               Shards: [Shard], HasMoreShards, RetentionPeriodHours, StreamCreationTimestamp,
 *               EnhancedMonitoring: [{ ShardLevelMetrics }], EncryptionType, KeyId? } }
 * AWS answers at most 100 shards per call whatever the Limit.
 */
import type { StreamStatus } from '../domain';
import { describeStreamTable, type DescribeStreamInput } from '../validation/describe-stream';
import { defineOperation } from './operation';
import {
  enhancedMonitoring,
  epochSeconds,
  shardsAfter,
  streamRef,
  toWireShard,
  type WireEnhancedMetrics,
  type WireShard,
  type WireStreamModeDetails,
} from './wire';

export const DESCRIBE_STREAM_MAX_SHARDS = 100;

/** DescribeStream's StreamDescription. */
export interface WireStreamDescription {
  StreamName: string;
  StreamARN: string;
  StreamStatus: StreamStatus;
  StreamModeDetails: WireStreamModeDetails;
  Shards: WireShard[];
  HasMoreShards: boolean;
  RetentionPeriodHours: number;
  StreamCreationTimestamp: number;
  EnhancedMonitoring: WireEnhancedMetrics[];
  EncryptionType: 'NONE' | 'KMS';
  KeyId?: string;
}

export const describeStream = defineOperation({
  name: 'DescribeStream',
  validation: describeStreamTable,
  async execute(backend, input: DescribeStreamInput): Promise<{ StreamDescription: WireStreamDescription }> {
    const stream = await backend.describeStream(streamRef(input));
    const limit = Math.min(input.Limit ?? DESCRIBE_STREAM_MAX_SHARDS, DESCRIBE_STREAM_MAX_SHARDS);
    const remaining = shardsAfter(stream.shards, input.ExclusiveStartShardId);
    const description: WireStreamDescription = {
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: stream.status,
      StreamModeDetails: { StreamMode: stream.mode },
      Shards: remaining.slice(0, limit).map(toWireShard),
      HasMoreShards: remaining.length > limit,
      RetentionPeriodHours: stream.retentionHours,
      StreamCreationTimestamp: epochSeconds(stream.createdAt),
      EnhancedMonitoring: enhancedMonitoring(stream),
      EncryptionType: stream.encryptionType,
    };
    if (stream.keyId !== undefined) description.KeyId = stream.keyId;
    return { StreamDescription: description };
  },
});
