/**
 * The parts of Firehose's destination configurations (PascalCase, as CreateDeliveryStream
 * takes them) that the destinations here read. Structurally compatible with the
 * `@aws-sdk/client-firehose` shapes, so the API layer can pass those straight through.
 */

/** HttpEndpointDestinationConfiguration (the delivery part of it). */
export interface HttpEndpointDestinationSettings {
  EndpointConfiguration: { Url: string; Name?: string; AccessKey?: string } | undefined;
  RequestConfiguration?: {
    ContentEncoding?: 'NONE' | 'GZIP' | string;
    CommonAttributes?: { AttributeName: string | undefined; AttributeValue: string | undefined }[];
  };
  RetryOptions?: { DurationInSeconds?: number };
  BufferingHints?: { SizeInMBs?: number; IntervalInSeconds?: number };
}

/** RedshiftDestinationConfiguration (the delivery part of it). */
export interface RedshiftDestinationSettings {
  ClusterJDBCURL: string | undefined;
  CopyCommand: { DataTableName: string | undefined; DataTableColumns?: string; CopyOptions?: string } | undefined;
  Username?: string;
  Password?: string;
  RetryOptions?: { DurationInSeconds?: number };
}

/** S3DestinationConfiguration / ExtendedS3DestinationConfiguration (where objects go). */
export interface S3DestinationSettings {
  BucketARN: string | undefined;
}

/** Where an S3-compatible store is and how to sign for it (Shardline configuration, not AWS's). */
export interface S3ConnectionSettings {
  endpoint: string;
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style URLs (`http://host/bucket/key`); MinIO and s3rver need them. Default true. */
  forcePathStyle?: boolean;
}

/**
 * HttpEndpointBufferingHints: SizeInMBs 1–64 (default 5), IntervalInSeconds 0–900
 * (default 300) (API reference, HttpEndpointBufferingHints).
 */
export const HTTP_ENDPOINT_BUFFERING = {
  sizeInMBs: { min: 1, max: 64, default: 5 },
  intervalInSeconds: { min: 0, max: 900, default: 300 },
} as const;

/**
 * HttpEndpointRetryOptions.DurationInSeconds: 0–7200 (API reference); 300 s when absent
 * (the console's and CloudFormation's default).
 */
export const HTTP_ENDPOINT_RETRY_DURATION = { min: 0, max: 7200, default: 300 } as const;

/** RedshiftRetryOptions.DurationInSeconds: 0–7200, default 3600 (API reference). */
export const REDSHIFT_RETRY_DURATION = { min: 0, max: 7200, default: 3600 } as const;

/** HTTP endpoints have 3 minutes to answer before Firehose times the request out (delivery spec). */
export const HTTP_ENDPOINT_REQUEST_TIMEOUT_MS = 180_000;

/** The response body must be 1 MiB or less (delivery spec, "Body - Max Size"). */
export const HTTP_ENDPOINT_MAX_RESPONSE_BYTES = 1024 * 1024;
