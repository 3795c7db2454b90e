/**
 * RedshiftDestinationConfiguration:
 *   { RoleARN, ClusterJDBCURL, CopyCommand { DataTableName, DataTableColumns?, CopyOptions? }, Username, Password,
 *     RetryOptions? { DurationInSeconds 0-7200 (3600) }, S3Configuration, ProcessingConfiguration?,
 *     S3BackupMode? (Disabled|Enabled), S3BackupConfiguration?, CloudWatchLoggingOptions? }
 * The intermediate S3Configuration may not be compressed with ZIP, Snappy or HADOOP_SNAPPY
 * (COPY cannot read them). Shardline loads into Postgres, so the JDBC URL may also name a
 * postgresql host that is not a Redshift cluster.
 */
import { invalidArgument } from '../../errors';
import type { FieldSpec } from '../../validation/table';
import type { RedshiftDestinationConfiguration } from '../destinations';
import { REDSHIFT_DEFAULT_RETRY_SECONDS, normalizeS3, type DestinationChecks } from './destination-checks';
import { cloudWatchLoggingOptions, processingConfiguration, requiredRoleARN, retryOptions, s3Configuration } from './shapes';

const REDSHIFT_S3_COMPRESSION = ['UNCOMPRESSED', 'GZIP'] as const;

export const redshiftDestinationConfiguration: FieldSpec = {
  type: 'Structure',
  fields: {
    RoleARN: requiredRoleARN,
    ClusterJDBCURL: { type: 'String', notNull: true, minLength: 1, maxLength: 512, pattern: 'jdbc:(redshift|postgresql)://.+' },
    CopyCommand: {
      type: 'Structure',
      notNull: true,
      fields: {
        DataTableName: { type: 'String', notNull: true, minLength: 1, maxLength: 512 },
        DataTableColumns: { type: 'String', minLength: 0, maxLength: 204800 },
        CopyOptions: { type: 'String', minLength: 0, maxLength: 204800 },
      },
    },
    Username: { type: 'String', notNull: true, minLength: 1, maxLength: 512 },
    Password: { type: 'String', notNull: true, minLength: 6, maxLength: 512 },
    RetryOptions: retryOptions,
    S3Configuration: { ...s3Configuration, notNull: true },
    ProcessingConfiguration: processingConfiguration,
    S3BackupMode: { type: 'String', enum: ['Disabled', 'Enabled'] },
    S3BackupConfiguration: s3Configuration,
    CloudWatchLoggingOptions: cloudWatchLoggingOptions,
  },
};

export function normalizeRedshift(config: RedshiftDestinationConfiguration, checks: DestinationChecks): RedshiftDestinationConfiguration {
  const backupMode = config.S3BackupMode ?? 'Disabled';
  if (backupMode === 'Enabled' && !config.S3BackupConfiguration) {
    throw invalidArgument('S3BackupConfiguration must be provided when S3BackupMode is Enabled.');
  }
  if (config.ProcessingConfiguration) checks.processing?.(config.ProcessingConfiguration);
  return {
    ...config,
    RetryOptions: { DurationInSeconds: config.RetryOptions?.DurationInSeconds ?? REDSHIFT_DEFAULT_RETRY_SECONDS },
    S3BackupMode: backupMode,
    S3Configuration: normalizeS3(config.S3Configuration, checks, REDSHIFT_S3_COMPRESSION),
    ...(config.S3BackupConfiguration
      ? { S3BackupConfiguration: normalizeS3(config.S3BackupConfiguration, checks, undefined, 'S3BackupConfiguration') }
      : {}),
  };
}
