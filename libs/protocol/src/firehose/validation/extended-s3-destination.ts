/**
 * ExtendedS3DestinationConfiguration: the table and AWS's rules across its members.
 *   { RoleARN, BucketARN, Prefix?, ErrorOutputPrefix?, BufferingHints? {SizeInMBs 1-128 (5), IntervalInSeconds 0-900 (300)},
 *     CompressionFormat? (UNCOMPRESSED), EncryptionConfiguration?, CloudWatchLoggingOptions?, ProcessingConfiguration?,
 *     S3BackupMode? (Disabled|Enabled), S3BackupConfiguration?, DataFormatConversionConfiguration?,
 *     DynamicPartitioningConfiguration?, FileExtension?, CustomTimeZone? }
 * Dynamic partitioning needs a buffer of at least 64 MiB (its default); format conversion
 * writes Parquet (default buffer 128 MiB) and needs CompressionFormat UNCOMPRESSED (Parquet
 * compresses inside the file) and a schema.
 */
import { invalidArgument } from '../../errors';
import type { FieldSpec } from '../../validation/table';
import type { DataFormatConversionConfiguration, ExtendedS3DestinationConfiguration } from '../destinations';
import { normalizeS3, withBufferDefaults, type DestinationChecks } from './destination-checks';
import { dataFormatConversionConfiguration, normalizeFormatConversion } from './data-format-conversion';
import { processingConfiguration, retryOptions, s3Configuration } from './shapes';

export const DYNAMIC_PARTITIONING_MIN_BUFFER_MB = 64;
export const FORMAT_CONVERSION_DEFAULT_BUFFER_MB = 128;

export const extendedS3DestinationConfiguration: FieldSpec = {
  type: 'Structure',
  fields: {
    // The S3 members, then what the extended destination adds.
    ...s3Configuration.fields,
    ProcessingConfiguration: processingConfiguration,
    S3BackupMode: { type: 'String', enum: ['Disabled', 'Enabled'] },
    S3BackupConfiguration: s3Configuration,
    DataFormatConversionConfiguration: dataFormatConversionConfiguration,
    DynamicPartitioningConfiguration: {
      type: 'Structure',
      fields: { Enabled: { type: 'Boolean' }, RetryOptions: retryOptions },
    },
    FileExtension: { type: 'String', minLength: 0, maxLength: 128, pattern: "^$|\\.[0-9a-z!\\-_.*'()]+" },
    CustomTimeZone: { type: 'String', minLength: 0, maxLength: 50 },
  },
};

function converting(config: DataFormatConversionConfiguration | undefined): boolean {
  return config !== undefined && config.Enabled !== false;
}

/** Applies AWS's cross-member rules and defaults; throws InvalidArgumentException. */
export function normalizeExtendedS3(config: ExtendedS3DestinationConfiguration, checks: DestinationChecks): ExtendedS3DestinationConfiguration {
  const partitioning = config.DynamicPartitioningConfiguration?.Enabled === true;
  const conversion = converting(config.DataFormatConversionConfiguration);
  const defaultSize = partitioning ? DYNAMIC_PARTITIONING_MIN_BUFFER_MB : conversion ? FORMAT_CONVERSION_DEFAULT_BUFFER_MB : undefined;
  const hints = withBufferDefaults(config.BufferingHints, defaultSize);
  if (partitioning && hints.SizeInMBs < DYNAMIC_PARTITIONING_MIN_BUFFER_MB) {
    throw invalidArgument(
      `BufferingHints.SizeInMBs must be at least ${DYNAMIC_PARTITIONING_MIN_BUFFER_MB} when Dynamic Partitioning is enabled.`,
    );
  }
  const compression = config.CompressionFormat ?? 'UNCOMPRESSED';
  if (conversion && compression !== 'UNCOMPRESSED') {
    throw invalidArgument('CompressionFormat must be UNCOMPRESSED when DataFormatConversionConfiguration is enabled.');
  }
  const backupMode = config.S3BackupMode ?? 'Disabled';
  if (backupMode === 'Enabled' && !config.S3BackupConfiguration) {
    throw invalidArgument('S3BackupConfiguration must be provided when S3BackupMode is Enabled.');
  }
  if (config.ProcessingConfiguration) checks.processing?.(config.ProcessingConfiguration);
  checks.prefixes?.({ prefix: config.Prefix, errorOutputPrefix: config.ErrorOutputPrefix, dynamicPartitioning: partitioning });
  const base = normalizeS3({ ...config, BufferingHints: hints, CompressionFormat: compression }, { ...checks, prefixes: undefined });
  return {
    ...config,
    ...base,
    S3BackupMode: backupMode,
    ...(config.S3BackupConfiguration
      ? { S3BackupConfiguration: normalizeS3(config.S3BackupConfiguration, checks, undefined, 'S3BackupConfiguration') }
      : {}),
    ...(config.DataFormatConversionConfiguration
      ? { DataFormatConversionConfiguration: normalizeFormatConversion(config.DataFormatConversionConfiguration, checks) }
      : {}),
  };
}
