/**
 * Member shapes shared by the Firehose tables (Firehose API reference, 2015-08-04): names,
 * ARNs, buffering, compression, logging, processing, and the plain S3 configuration that
 * backups and failed data use.
 */
import type { FieldSpec } from '../../validation/table';

export const DELIVERY_STREAM_NAME_PATTERN = '[a-zA-Z0-9_.-]+';
export const deliveryStreamName: FieldSpec = { type: 'String', pattern: DELIVERY_STREAM_NAME_PATTERN, minLength: 1, maxLength: 64 };
export const requiredDeliveryStreamName: FieldSpec = { ...deliveryStreamName, notNull: true };

export const ROLE_ARN_PATTERN = 'arn:.*:iam::\\d{12}:role/[a-zA-Z_0-9+=,.@\\-_/]+';
export const roleARN: FieldSpec = { type: 'String', pattern: ROLE_ARN_PATTERN, minLength: 1, maxLength: 512 };
export const requiredRoleARN: FieldSpec = { ...roleARN, notNull: true };
export const bucketARN: FieldSpec = { type: 'String', notNull: true, pattern: 'arn:.*:s3:::[\\w\\.\\-]{1,255}', minLength: 1, maxLength: 2048 };
export const KMS_KEY_ARN_PATTERN = 'arn:.*:kms:[a-zA-Z0-9\\-]+:\\d{12}:(key|alias)/[a-zA-Z_0-9+=,.@\\-_/]+';
export const kmsKeyARN: FieldSpec = { type: 'String', pattern: KMS_KEY_ARN_PATTERN, minLength: 1, maxLength: 512 };
export const KINESIS_STREAM_ARN_PATTERN = 'arn:.*:kinesis:[a-zA-Z0-9\\-]+:\\d{12}:stream/[a-zA-Z0-9_.-]+';

export const prefix: FieldSpec = { type: 'String', minLength: 0, maxLength: 1024 };

/** BufferingHints of S3-like destinations: 1-128 MiB, 0-900 s. */
export const bufferingHints: FieldSpec = {
  type: 'Structure',
  fields: { SizeInMBs: { type: 'Integer', min: 1, max: 128 }, IntervalInSeconds: { type: 'Integer', min: 0, max: 900 } },
};

/** HttpEndpointBufferingHints: 1-64 MiB, 0-900 s. */
export const httpBufferingHints: FieldSpec = {
  type: 'Structure',
  fields: { SizeInMBs: { type: 'Integer', min: 1, max: 64 }, IntervalInSeconds: { type: 'Integer', min: 0, max: 900 } },
};

export const COMPRESSION_FORMATS = ['UNCOMPRESSED', 'GZIP', 'ZIP', 'Snappy', 'HADOOP_SNAPPY'] as const;
export const compressionFormat: FieldSpec = { type: 'String', enum: COMPRESSION_FORMATS };

export const cloudWatchLoggingOptions: FieldSpec = {
  type: 'Structure',
  fields: {
    Enabled: { type: 'Boolean' },
    LogGroupName: { type: 'String', minLength: 0, maxLength: 512, pattern: '[\\.\\-_/#A-Za-z0-9]*' },
    LogStreamName: { type: 'String', minLength: 0, maxLength: 512, pattern: '[^:*]*' },
  },
};

export const encryptionConfiguration: FieldSpec = {
  type: 'Structure',
  fields: {
    NoEncryptionConfig: { type: 'String', enum: ['NoEncryption'] },
    KMSEncryptionConfig: { type: 'Structure', fields: { AWSKMSKeyARN: { ...kmsKeyARN, notNull: true } } },
  },
};

export const PROCESSOR_TYPES = [
  'RecordDeAggregation',
  'Decompression',
  'CloudWatchLogProcessing',
  'Lambda',
  'MetadataExtraction',
  'AppendDelimiterToRecord',
] as const;

export const PROCESSOR_PARAMETER_NAMES = [
  'LambdaArn',
  'NumberOfRetries',
  'MetadataExtractionQuery',
  'JsonParsingEngine',
  'RoleArn',
  'BufferSizeInMBs',
  'BufferIntervalInSeconds',
  'SubRecordType',
  'Delimiter',
  'CompressionFormat',
  'DataMessageExtraction',
] as const;

export const processingConfiguration: FieldSpec = {
  type: 'Structure',
  fields: {
    Enabled: { type: 'Boolean' },
    Processors: {
      type: 'List',
      member: {
        type: 'Structure',
        display: 'com.amazonaws.firehose.v20150804.Processor',
        fields: {
          Type: { type: 'String', notNull: true, enum: PROCESSOR_TYPES },
          Parameters: {
            type: 'List',
            member: {
              type: 'Structure',
              display: 'com.amazonaws.firehose.v20150804.ProcessorParameter',
              fields: {
                ParameterName: { type: 'String', notNull: true, enum: PROCESSOR_PARAMETER_NAMES },
                ParameterValue: { type: 'String', notNull: true, minLength: 1, maxLength: 5120, pattern: '^(?!\\s*$).+' },
              },
            },
          },
        },
      },
    },
  },
};

export const retryOptions: FieldSpec = {
  type: 'Structure',
  fields: { DurationInSeconds: { type: 'Integer', min: 0, max: 7200 } },
};

/** S3DestinationConfiguration (legacy destination, backups, failed data). */
export const s3Configuration: FieldSpec = {
  type: 'Structure',
  fields: {
    RoleARN: requiredRoleARN,
    BucketARN: bucketARN,
    Prefix: prefix,
    ErrorOutputPrefix: prefix,
    BufferingHints: bufferingHints,
    CompressionFormat: compressionFormat,
    EncryptionConfiguration: encryptionConfiguration,
    CloudWatchLoggingOptions: cloudWatchLoggingOptions,
  },
};

/** The same shape with nothing required: the *Update members of UpdateDestination. */
export function optional(spec: FieldSpec): FieldSpec {
  const { notNull: _notNull, ...rest } = spec;
  if (rest.fields) {
    const fields: Record<string, FieldSpec> = {};
    for (const [name, field] of Object.entries(rest.fields)) fields[name] = optional(field);
    return { ...rest, fields };
  }
  return rest;
}

/** Tags: a key of 1-128 characters not starting with `aws:`, a value of 0-256. */
const TAG_PATTERN = '^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$';
export const tagKey: FieldSpec = { type: 'String', minLength: 1, maxLength: 128, pattern: TAG_PATTERN };
export const tagValue: FieldSpec = { type: 'String', minLength: 0, maxLength: 256, pattern: '^[\\p{L}\\p{Z}\\p{N}_.:\\/=+\\-@%]*$' };
export const tagList: FieldSpec = {
  type: 'List',
  minLength: 1,
  maxLength: 50,
  member: {
    type: 'Structure',
    display: 'com.amazonaws.firehose.v20150804.Tag',
    fields: { Key: { ...tagKey, notNull: true }, Value: tagValue },
  },
};

/** Wire tags. */
export interface WireFirehoseTag {
  Key: string;
  Value?: string;
}
