/**
 * HttpEndpointDestinationConfiguration:
 *   { EndpointConfiguration { Url, Name?, AccessKey? }, BufferingHints? {SizeInMBs 1-64 (5), IntervalInSeconds 0-900 (300)},
 *     CloudWatchLoggingOptions?, RequestConfiguration? { ContentEncoding? (NONE|GZIP), CommonAttributes? (<= 50) },
 *     ProcessingConfiguration?, RoleARN?, RetryOptions? { DurationInSeconds 0-7200 (300) },
 *     S3BackupMode? (FailedDataOnly|AllData), S3Configuration }
 * AWS requires an https URL; Shardline also takes http (endpoints on a private network, tests).
 */
import type { FieldSpec } from '../../validation/table';
import type { HttpEndpointDestinationConfiguration } from '../destinations';
import { DEFAULT_RETRY_SECONDS, normalizeS3, withBufferDefaults, type DestinationChecks } from './destination-checks';
import { cloudWatchLoggingOptions, httpBufferingHints, processingConfiguration, retryOptions, roleARN, s3Configuration } from './shapes';

export const httpEndpointDestinationConfiguration: FieldSpec = {
  type: 'Structure',
  fields: {
    EndpointConfiguration: {
      type: 'Structure',
      notNull: true,
      fields: {
        Url: { type: 'String', notNull: true, minLength: 1, maxLength: 1000, pattern: 'https?://.*' },
        Name: { type: 'String', minLength: 1, maxLength: 256, pattern: '^(?!\\s*$).+' },
        AccessKey: { type: 'String', minLength: 0, maxLength: 4096, pattern: '.*' },
      },
    },
    BufferingHints: httpBufferingHints,
    CloudWatchLoggingOptions: cloudWatchLoggingOptions,
    RequestConfiguration: {
      type: 'Structure',
      fields: {
        ContentEncoding: { type: 'String', enum: ['NONE', 'GZIP'] },
        CommonAttributes: {
          type: 'List',
          minLength: 0,
          maxLength: 50,
          member: {
            type: 'Structure',
            display: 'com.amazonaws.firehose.v20150804.HttpEndpointCommonAttribute',
            fields: {
              AttributeName: { type: 'String', notNull: true, minLength: 1, maxLength: 256, pattern: '^(?!\\s*$).+' },
              AttributeValue: { type: 'String', notNull: true, minLength: 0, maxLength: 1024, pattern: '.*' },
            },
          },
        },
      },
    },
    ProcessingConfiguration: processingConfiguration,
    RoleARN: roleARN,
    RetryOptions: retryOptions,
    S3BackupMode: { type: 'String', enum: ['FailedDataOnly', 'AllData'] },
    S3Configuration: { ...s3Configuration, notNull: true },
  },
};

export function normalizeHttpEndpoint(config: HttpEndpointDestinationConfiguration, checks: DestinationChecks): HttpEndpointDestinationConfiguration {
  if (config.ProcessingConfiguration) checks.processing?.(config.ProcessingConfiguration);
  return {
    ...config,
    BufferingHints: withBufferDefaults(config.BufferingHints),
    RequestConfiguration: { ...config.RequestConfiguration, ContentEncoding: config.RequestConfiguration?.ContentEncoding ?? 'NONE' },
    RetryOptions: { DurationInSeconds: config.RetryOptions?.DurationInSeconds ?? DEFAULT_RETRY_SECONDS },
    S3BackupMode: config.S3BackupMode ?? 'FailedDataOnly',
    S3Configuration: normalizeS3(config.S3Configuration, checks),
  };
}
