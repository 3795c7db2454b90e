/**
 * S3DestinationConfiguration (deprecated by AWS in favour of the extended one):
 *   { RoleARN, BucketARN, Prefix?, ErrorOutputPrefix?, BufferingHints?, CompressionFormat?, EncryptionConfiguration?,
 *     CloudWatchLoggingOptions? }
 * Stored as an ExtendedS3 destination with S3BackupMode Disabled, as AWS describes it.
 */
import type { ExtendedS3DestinationConfiguration, S3Configuration } from '../destinations';
import type { DestinationChecks } from './destination-checks';
import { normalizeExtendedS3 } from './extended-s3-destination';
import { s3Configuration } from './shapes';

export const s3DestinationConfiguration = s3Configuration;

export function normalizeLegacyS3(config: S3Configuration, checks: DestinationChecks): ExtendedS3DestinationConfiguration {
  return normalizeExtendedS3({ ...config, S3BackupMode: 'Disabled' }, checks);
}
