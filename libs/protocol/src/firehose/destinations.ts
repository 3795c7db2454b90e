/**
 * Destination configurations in AWS's wire shape (Firehose API reference, 2015-08-04), as
 * stored and as the delivery pipeline reads them. Only the members Shardline acts on are
 * typed; the stored object keeps every member the caller gave. The legacy
 * S3DestinationConfiguration is stored as an ExtendedS3 one.
 */

export type DestinationKind = 'ExtendedS3' | 'HttpEndpoint' | 'Redshift';

export type CompressionFormat = 'UNCOMPRESSED' | 'GZIP' | 'ZIP' | 'Snappy' | 'HADOOP_SNAPPY';

export interface BufferingHints {
  SizeInMBs: number;
  IntervalInSeconds: number;
}

export interface CloudWatchLoggingOptions {
  Enabled?: boolean;
  LogGroupName?: string;
  LogStreamName?: string;
}

export interface EncryptionConfiguration {
  NoEncryptionConfig?: 'NoEncryption';
  KMSEncryptionConfig?: { AWSKMSKeyARN: string };
}

export interface ProcessorParameter {
  ParameterName: string;
  ParameterValue: string;
}

export interface Processor {
  Type: string;
  Parameters?: ProcessorParameter[];
}

export interface ProcessingConfiguration {
  Enabled?: boolean;
  Processors?: Processor[];
}

export interface DynamicPartitioningConfiguration {
  Enabled?: boolean;
  RetryOptions?: { DurationInSeconds?: number };
}

/** A Parquet column (Hive type): Shardline's stand-in for a Glue table. */
export interface SchemaColumn {
  Name: string;
  Type: string;
}

export interface SchemaConfiguration {
  RoleARN?: string;
  CatalogId?: string;
  DatabaseName?: string;
  TableName?: string;
  Region?: string;
  VersionId?: string;
  /** Shardline extension: the table's columns, since there is no Glue catalog. */
  Columns?: SchemaColumn[];
}

export interface ParquetSerDe {
  BlockSizeBytes?: number;
  PageSizeBytes?: number;
  Compression?: 'UNCOMPRESSED' | 'GZIP' | 'SNAPPY';
  EnableDictionaryCompression?: boolean;
  MaxPaddingBytes?: number;
  WriterVersion?: 'V1' | 'V2';
}

export interface DataFormatConversionConfiguration {
  Enabled?: boolean;
  SchemaConfiguration?: SchemaConfiguration;
  InputFormatConfiguration?: { Deserializer?: { OpenXJsonSerDe?: Record<string, unknown>; HiveJsonSerDe?: Record<string, unknown> } };
  OutputFormatConfiguration?: { Serializer?: { ParquetSerDe?: ParquetSerDe; OrcSerDe?: Record<string, unknown> } };
}

/** S3DestinationConfiguration: the plain S3 shape, also used for backups and failed data. */
export interface S3Configuration {
  RoleARN: string;
  BucketARN: string;
  Prefix?: string;
  ErrorOutputPrefix?: string;
  BufferingHints: BufferingHints;
  CompressionFormat: CompressionFormat;
  EncryptionConfiguration: EncryptionConfiguration;
  CloudWatchLoggingOptions?: CloudWatchLoggingOptions;
}

export interface ExtendedS3DestinationConfiguration extends S3Configuration {
  ProcessingConfiguration?: ProcessingConfiguration;
  S3BackupMode: 'Disabled' | 'Enabled';
  S3BackupConfiguration?: S3Configuration;
  DataFormatConversionConfiguration?: DataFormatConversionConfiguration;
  DynamicPartitioningConfiguration?: DynamicPartitioningConfiguration;
  FileExtension?: string;
  CustomTimeZone?: string;
}

export interface HttpEndpointDestinationConfiguration {
  EndpointConfiguration: { Url: string; Name?: string; AccessKey?: string };
  BufferingHints: BufferingHints;
  CloudWatchLoggingOptions?: CloudWatchLoggingOptions;
  RequestConfiguration: {
    ContentEncoding: 'NONE' | 'GZIP';
    CommonAttributes?: Array<{ AttributeName: string; AttributeValue: string }>;
  };
  ProcessingConfiguration?: ProcessingConfiguration;
  RoleARN?: string;
  RetryOptions: { DurationInSeconds: number };
  S3BackupMode: 'FailedDataOnly' | 'AllData';
  S3Configuration: S3Configuration;
}

export interface RedshiftDestinationConfiguration {
  RoleARN: string;
  ClusterJDBCURL: string;
  CopyCommand: { DataTableName: string; DataTableColumns?: string; CopyOptions?: string };
  Username: string;
  Password: string;
  RetryOptions: { DurationInSeconds: number };
  S3Configuration: S3Configuration;
  ProcessingConfiguration?: ProcessingConfiguration;
  S3BackupMode: 'Disabled' | 'Enabled';
  S3BackupConfiguration?: S3Configuration;
  CloudWatchLoggingOptions?: CloudWatchLoggingOptions;
}

/** The stored configuration of each destination kind. */
export interface DestinationConfigs {
  ExtendedS3: ExtendedS3DestinationConfiguration;
  HttpEndpoint: HttpEndpointDestinationConfiguration;
  Redshift: RedshiftDestinationConfiguration;
}

export type DestinationConfig<K extends DestinationKind = DestinationKind> = DestinationConfigs[K];
