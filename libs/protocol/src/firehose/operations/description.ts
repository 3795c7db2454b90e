/**
 * DeliveryStreamDescription as AWS answers it. S3-like destinations are shown both as
 * ExtendedS3DestinationDescription and S3DestinationDescription (AWS does the same);
 * secrets (the HTTP endpoint's AccessKey, Redshift's Password) are never echoed.
 */
import type { DeliveryStream } from '../domain';
import type {
  ExtendedS3DestinationConfiguration,
  HttpEndpointDestinationConfiguration,
  RedshiftDestinationConfiguration,
  S3Configuration,
} from '../destinations';

/** AWS names the one destination of a delivery stream with this id. */
export const DESTINATION_ID = 'destinationId-000000000001';

type Json = Record<string, unknown>;

function s3Description(config: S3Configuration): Json {
  return {
    RoleARN: config.RoleARN,
    BucketARN: config.BucketARN,
    Prefix: config.Prefix ?? '',
    ...(config.ErrorOutputPrefix !== undefined ? { ErrorOutputPrefix: config.ErrorOutputPrefix } : {}),
    BufferingHints: config.BufferingHints,
    CompressionFormat: config.CompressionFormat,
    EncryptionConfiguration: config.EncryptionConfiguration,
    CloudWatchLoggingOptions: config.CloudWatchLoggingOptions ?? { Enabled: false },
  };
}

function extendedS3Description(config: ExtendedS3DestinationConfiguration): Json {
  const { S3BackupConfiguration, ...rest } = config;
  return {
    ...rest,
    ...s3Description(config),
    S3BackupMode: config.S3BackupMode,
    ...(S3BackupConfiguration ? { S3BackupDescription: s3Description(S3BackupConfiguration) } : {}),
  };
}

function httpEndpointDescription(config: HttpEndpointDestinationConfiguration): Json {
  const { S3Configuration, EndpointConfiguration, ...rest } = config;
  return {
    ...rest,
    EndpointConfiguration: { Url: EndpointConfiguration.Url, ...(EndpointConfiguration.Name ? { Name: EndpointConfiguration.Name } : {}) },
    CloudWatchLoggingOptions: config.CloudWatchLoggingOptions ?? { Enabled: false },
    S3DestinationDescription: s3Description(S3Configuration),
  };
}

function redshiftDescription(config: RedshiftDestinationConfiguration): Json {
  const { S3Configuration, S3BackupConfiguration, Password: _password, ...rest } = config;
  return {
    ...rest,
    CloudWatchLoggingOptions: config.CloudWatchLoggingOptions ?? { Enabled: false },
    S3DestinationDescription: s3Description(S3Configuration),
    ...(S3BackupConfiguration ? { S3BackupDescription: s3Description(S3BackupConfiguration) } : {}),
  };
}

function destinationDescription(stream: DeliveryStream): Json {
  const { destination } = stream;
  switch (destination.kind) {
    case 'ExtendedS3':
      return {
        DestinationId: DESTINATION_ID,
        S3DestinationDescription: s3Description(destination.config),
        ExtendedS3DestinationDescription: extendedS3Description(destination.config),
      };
    case 'HttpEndpoint':
      return { DestinationId: DESTINATION_ID, HttpEndpointDestinationDescription: httpEndpointDescription(destination.config) };
    case 'Redshift':
      return { DestinationId: DESTINATION_ID, RedshiftDestinationDescription: redshiftDescription(destination.config) };
  }
}

/** Epoch seconds with a millisecond fraction, as the JSON protocol writes timestamps. */
const seconds = (date: Date) => date.getTime() / 1000;

export function describeOutput(stream: DeliveryStream): Json {
  const { encryption } = stream;
  return {
    DeliveryStreamName: stream.name,
    DeliveryStreamARN: stream.arn,
    DeliveryStreamStatus: stream.status,
    DeliveryStreamEncryptionConfiguration: {
      ...(encryption.keyArn ? { KeyARN: encryption.keyArn } : {}),
      ...(encryption.keyType ? { KeyType: encryption.keyType } : {}),
      Status: encryption.status,
    },
    DeliveryStreamType: stream.type,
    VersionId: String(stream.versionId),
    CreateTimestamp: seconds(stream.createdAt),
    ...(stream.versionId > 1 ? { LastUpdateTimestamp: seconds(stream.updatedAt) } : {}),
    ...(stream.source
      ? {
          Source: {
            KinesisStreamSourceDescription: {
              KinesisStreamARN: stream.source.kinesisStreamArn,
              RoleARN: stream.source.roleArn,
              DeliveryStartTimestamp: seconds(stream.source.deliveryStartTimestamp),
            },
          },
        }
      : {}),
    Destinations: [destinationDescription(stream)],
    HasMoreDestinations: false,
  };
}
