/**
 * DescribeStreamSummary
 *   request:  { StreamName? | StreamARN? }
 *   response: { StreamDescriptionSummary: { StreamName, StreamARN, StreamStatus, StreamModeDetails,
 *               RetentionPeriodHours, StreamCreationTimestamp, EnhancedMonitoring, EncryptionType,
 *               KeyId?, OpenShardCount, ConsumerCount, MaxRecordSizeInKiB } }
 */
import type { StreamStatus } from '../domain';
import { describeStreamSummaryTable, type DescribeStreamSummaryInput } from '../validation/describe-stream-summary';
import { defineOperation } from './operation';
import { enhancedMonitoring, epochSeconds, streamRef, type WireEnhancedMetrics, type WireStreamModeDetails } from './wire';

/** DescribeStreamSummary's StreamDescriptionSummary. */
export interface WireStreamDescriptionSummary {
  StreamName: string;
  StreamARN: string;
  StreamStatus: StreamStatus;
  StreamModeDetails: WireStreamModeDetails;
  RetentionPeriodHours: number;
  StreamCreationTimestamp: number;
  EnhancedMonitoring: WireEnhancedMetrics[];
  EncryptionType: 'NONE' | 'KMS';
  KeyId?: string;
  OpenShardCount: number;
  ConsumerCount: number;
  MaxRecordSizeInKiB: number;
}

export const describeStreamSummary = defineOperation({
  name: 'DescribeStreamSummary',
  validation: describeStreamSummaryTable,
  async execute(
    backend,
    input: DescribeStreamSummaryInput,
  ): Promise<{ StreamDescriptionSummary: WireStreamDescriptionSummary }> {
    const stream = await backend.describeStream(streamRef(input));
    const summary: WireStreamDescriptionSummary = {
      StreamName: stream.name,
      StreamARN: stream.arn,
      StreamStatus: stream.status,
      StreamModeDetails: { StreamMode: stream.mode },
      RetentionPeriodHours: stream.retentionHours,
      StreamCreationTimestamp: epochSeconds(stream.createdAt),
      EnhancedMonitoring: enhancedMonitoring(stream),
      EncryptionType: stream.encryptionType,
      OpenShardCount: stream.shards.filter((shard) => shard.status === 'OPEN').length,
      ConsumerCount: stream.consumerCount,
      MaxRecordSizeInKiB: stream.maxRecordSizeKiB ?? 1024,
    };
    if (stream.keyId !== undefined) summary.KeyId = stream.keyId;
    return { StreamDescriptionSummary: summary };
  },
});
