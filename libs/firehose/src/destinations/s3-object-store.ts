import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { DeliveryError, ObjectStore, ObjectWrite } from '../model';
import { S3ConnectionSettings, S3DestinationSettings } from './config';

/**
 * S3-compatible object storage (AWS S3, MinIO, s3rver) through `@aws-sdk/client-s3`.
 *
 * Recent SDKs add CRC32 checksums to every upload (aws-chunked trailers) and validate
 * them on download; many S3-compatible servers (s3rver, older MinIO) do not speak that,
 * so checksums are computed and validated only when an operation requires them.
 */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;

  constructor(connection: S3ConnectionSettings) {
    this.client = new S3Client({
      endpoint: connection.endpoint,
      region: connection.region ?? 'us-east-1',
      forcePathStyle: connection.forcePathStyle ?? true,
      credentials: { accessKeyId: connection.accessKeyId, secretAccessKey: connection.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      // Delivery retries belong to the pipeline (until the destination's retry duration);
      // one SDK attempt keeps errors prompt and the schedule in one place.
      maxAttempts: 1,
    });
  }

  async put(object: ObjectWrite): Promise<void> {
    await this.call(`Writing ${object.bucket}/${object.key}`, () =>
      this.client.send(
        new PutObjectCommand({
          Bucket: object.bucket,
          Key: object.key,
          Body: object.body,
          ContentLength: object.body.length,
          ContentType: object.contentType,
          ContentEncoding: object.contentEncoding,
        }),
      ),
    );
  }

  async list(bucket: string, prefix?: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call(`Listing ${bucket}`, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })),
      );
      for (const item of page.Contents ?? []) if (item.Key !== undefined) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  async get(bucket: string, key: string): Promise<Buffer> {
    const answer = await this.call(`Reading ${bucket}/${key}`, () =>
      this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
    );
    if (!answer.Body) return Buffer.alloc(0);
    return Buffer.from(await answer.Body.transformToByteArray());
  }

  /** Closes the client's sockets. */
  close(): void {
    this.client.destroy();
  }

  private async call<T>(what: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw s3DeliveryError(error, what);
    }
  }
}

/** The bucket name of an S3 bucket ARN, `arn:aws:s3:::name` (any partition). */
export function bucketFromArn(bucketArn: string): string {
  const match = /^arn:[a-z0-9-]+:s3:::([^/]+)$/.exec(bucketArn);
  if (!match) throw new DeliveryError(`Not an S3 bucket ARN: ${bucketArn}`, 'S3.InvalidBucketARN', false);
  return match[1];
}

/** An S3 store for an S3 destination configuration: the store and the bucket its BucketARN names. */
export function s3ObjectStoreFrom(
  destination: S3DestinationSettings,
  connection: S3ConnectionSettings,
): { store: S3ObjectStore; bucket: string } {
  return { store: new S3ObjectStore(connection), bucket: bucketFromArn(destination.BucketARN ?? '') };
}

/**
 * Client errors that no retry can cure (the request itself is wrong). Everything else is
 * retried, as Firehose does: it "keeps retrying for up to 24 hours" when the bucket is
 * missing, access is denied or the network fails (Firehose developer guide, "Data
 * delivery failure handling", Amazon S3), because an operator can fix those and an S3
 * destination's error output is the same bucket, so there is nowhere else to put the data.
 */
const FINAL_S3_ERRORS = new Set([
  'InvalidArgument',
  'InvalidBucketName',
  'KeyTooLongError',
  'EntityTooLarge',
  'InvalidRequest',
  'MalformedXML',
]);

/**
 * Maps an SDK error to a DeliveryError with Firehose's S3 error code (`S3.NoSuchBucket`,
 * `S3.AccessDenied`, ... as its CloudWatch error logs name them; `InternalError` for
 * 5xx and network failures).
 */
export function s3DeliveryError(error: unknown, what: string): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode ?? 0;
    const name = error.name === 'NotFound' && status === 404 ? 'NoSuchKey' : error.name;
    const code = status >= 500 ? 'InternalError' : `S3.${name}`;
    return new DeliveryError(`${what} failed: ${name} (${status}) ${error.message}`, code, !FINAL_S3_ERRORS.has(name));
  }
  const cause = (error as { code?: string; cause?: { code?: string } }) ?? {};
  const network = cause.code ?? cause.cause?.code ?? (error as Error)?.name;
  return new DeliveryError(`${what} failed: ${network}: ${(error as Error)?.message}`, 'InternalError', true);
}
