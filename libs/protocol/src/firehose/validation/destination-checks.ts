/**
 * Rules a destination configuration must meet beyond its table, and the hook where the
 * processing and partitioning stages plug their own checks in (libs/firehose exports
 * `validateProcessing` and `validatePrefixes`; the delivery stream service passes them here,
 * so the rules live once, beside the code that applies them).
 */
import { invalidArgument } from '../../errors';
import type { BufferingHints, ProcessingConfiguration, S3Configuration, SchemaColumn } from '../destinations';

export interface DestinationChecks {
  /** Checks a ProcessingConfiguration's processors and parameters; throws InvalidArgumentException. */
  processing?(config: ProcessingConfiguration): void;
  /** Checks Prefix / ErrorOutputPrefix expressions (`!{timestamp:..}`, `!{partitionKeyFromQuery:..}`); throws InvalidArgumentException. */
  prefixes?(input: { prefix?: string; errorOutputPrefix?: string; dynamicPartitioning: boolean }): void;
  /** Columns of the Parquet schema when the configuration gives none (the `shardline:schema` tag). */
  schemaColumns?(): SchemaColumn[] | undefined;
}

export const DEFAULT_BUFFER_MB = 5;
export const DEFAULT_BUFFER_SECONDS = 300;
export const DEFAULT_RETRY_SECONDS = 300;
export const REDSHIFT_DEFAULT_RETRY_SECONDS = 3600;

/** BufferingHints with AWS's defaults filled in. */
export function withBufferDefaults(hints: Partial<BufferingHints> | undefined, sizeMB = DEFAULT_BUFFER_MB): BufferingHints {
  return { SizeInMBs: hints?.SizeInMBs ?? sizeMB, IntervalInSeconds: hints?.IntervalInSeconds ?? DEFAULT_BUFFER_SECONDS };
}

/** A plain S3 configuration (legacy destination, backup, failed data) with AWS's defaults. */
export function normalizeS3(
  config: S3Configuration,
  checks: DestinationChecks,
  allowed?: readonly string[],
  member = 'S3Configuration',
): S3Configuration {
  const compression = config.CompressionFormat ?? 'UNCOMPRESSED';
  if (allowed && !allowed.includes(compression)) {
    throw invalidArgument(`${member}.CompressionFormat ${compression} is not supported here; use one of ${allowed.join(', ')}.`);
  }
  checks.prefixes?.({ prefix: config.Prefix, errorOutputPrefix: config.ErrorOutputPrefix, dynamicPartitioning: false });
  return {
    ...config,
    BufferingHints: withBufferDefaults(config.BufferingHints),
    CompressionFormat: compression,
    EncryptionConfiguration: encryptionWithDefault(config.EncryptionConfiguration),
  };
}

function encryptionWithDefault(config: S3Configuration['EncryptionConfiguration'] | undefined): S3Configuration['EncryptionConfiguration'] {
  if (config?.KMSEncryptionConfig && config.NoEncryptionConfig) {
    throw invalidArgument('EncryptionConfiguration takes either NoEncryptionConfig or KMSEncryptionConfig, not both.');
  }
  return config?.KMSEncryptionConfig ? config : { NoEncryptionConfig: 'NoEncryption' };
}
