/**
 * AWS ProcessingConfiguration (Firehose API reference: ProcessingConfiguration, Processor,
 * ProcessorParameter), as CreateDeliveryStream receives it:
 *   {Enabled?: boolean, Processors?: [{Type, Parameters?: [{ParameterName, ParameterValue}]}]}
 *   Type: RecordDeAggregation | Decompression | CloudWatchLogProcessing | Lambda |
 *         MetadataExtraction | AppendDelimiterToRecord
 *   ParameterName: LambdaArn | NumberOfRetries | MetadataExtractionQuery | JsonParsingEngine |
 *         RoleArn | BufferSizeInMBs | BufferIntervalInSeconds | SubRecordType | Delimiter |
 *         CompressionFormat | DataMessageExtraction
 *   ParameterValue: 1..5120 characters
 */
import type { FailedRecord, FirehoseRecord } from '../model';

export type ProcessorType =
  | 'RecordDeAggregation'
  | 'Decompression'
  | 'CloudWatchLogProcessing'
  | 'Lambda'
  | 'MetadataExtraction'
  | 'AppendDelimiterToRecord';

export type ProcessorParameterName =
  | 'LambdaArn'
  | 'NumberOfRetries'
  | 'MetadataExtractionQuery'
  | 'JsonParsingEngine'
  | 'RoleArn'
  | 'BufferSizeInMBs'
  | 'BufferIntervalInSeconds'
  | 'SubRecordType'
  | 'Delimiter'
  | 'CompressionFormat'
  | 'DataMessageExtraction';

/** The configuration's shapes are the protocol's (one definition of the wire shape). */
export type { ProcessingConfiguration, Processor, ProcessorParameter } from '@shardline/protocol';

/** One processing step over a batch: the records that go on and those that failed. */
export type RecordStage = (records: FirehoseRecord[]) => Promise<{ records: FirehoseRecord[]; failed: FailedRecord[] }>;

/** The transform (Lambda processor) the plugin host runs between `before` and `after`. */
export interface LambdaProcessor {
  functionArn: string;
  numberOfRetries: number;
  bufferSizeInMBs: number;
  bufferIntervalInSeconds: number;
  roleArn?: string;
}

/** A compiled configuration, in the order AWS applies it. */
export interface CompiledProcessing {
  before: RecordStage[];
  lambda?: LambdaProcessor;
  after: RecordStage[];
}
