import { CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, FirehoseClient, type BufferingHints } from '@aws-sdk/client-firehose';
import { connect } from 'nats';
import { Client } from 'pg';
import { deliveryStreamStreamName } from '@shardline/messaging';
import type { FirehoseConfig } from '@shardline/firehose';
import type { PlatformConfig } from '@shardline/streams';
import { startTestFirehose, type TestFirehose } from '../support/firehose';
import { kinesisClient, startTestPlatform, type TestPlatform, type Transport } from '../support/platform';
import type { KinesisClient } from '@aws-sdk/client-kinesis';

/** The unmodified AWS SDK Firehose client (HTTP/1.1, its default) against a test platform. */
export function firehoseClient(endpoint: string): FirehoseClient {
  return new FirehoseClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
}

export const ROLE_ARN = 'arn:aws:iam::000000000000:role/firehose';
export const BUCKET_ARN = 'arn:aws:s3:::shardline-test';

/** Polls DescribeDeliveryStream (every 25 ms) until the status is `status`. */
export async function waitStatus(firehose: FirehoseClient, DeliveryStreamName: string, status = 'ACTIVE', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { DeliveryStreamDescription } = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName }));
    if (DeliveryStreamDescription!.DeliveryStreamStatus === status) return;
    if (Date.now() > deadline) throw new Error(`${DeliveryStreamName} not ${status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Creates a delivery stream that reads the Kinesis stream `streamArn` into `bucket` (a
 * directory under the firehose's data dir), and waits until it is ACTIVE.
 */
export async function createFromStream(
  firehose: FirehoseClient,
  DeliveryStreamName: string,
  streamArn: string,
  bucket: string,
  BufferingHints: BufferingHints = { SizeInMBs: 1, IntervalInSeconds: 0 },
): Promise<void> {
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName,
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN: streamArn, RoleARN: ROLE_ARN },
      ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints },
    }),
  );
  await waitStatus(firehose, DeliveryStreamName);
}

/** Dynamic partitioning by a JSON record's `region` (jq), each record ending in a newline. */
export const REGION_PARTITIONING = {
  DynamicPartitioningConfiguration: { Enabled: true },
  ProcessingConfiguration: {
    Enabled: true,
    Processors: [
      {
        Type: 'MetadataExtraction' as const,
        Parameters: [
          { ParameterName: 'MetadataExtractionQuery' as const, ParameterValue: '{region: .region}' },
          { ParameterName: 'JsonParsingEngine' as const, ParameterValue: 'JQ-1.6' },
        ],
      },
      { Type: 'AppendDelimiterToRecord' as const, Parameters: [] },
    ],
  },
};

/** Deletes the JetStream streams of every delivery stream recorded in a test database (before it is dropped). */
export async function removeDeliveryStorage(databaseUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let ids: string[];
  try {
    ids = (await db.query<{ id: string }>('SELECT id FROM delivery_streams')).rows.map((row) => row.id);
  } finally {
    await db.end();
  }
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  try {
    const jsm = await nc.jetstreamManager();
    await Promise.all(ids.map((id) => jsm.streams.delete(deliveryStreamStreamName(id)).catch(() => false)));
  } finally {
    await nc.close();
  }
}

/** A test platform with the firehose role beside it and the unmodified Firehose client. */
export interface FirehoseTestbed {
  sl: TestPlatform;
  fh: TestFirehose;
  firehose: FirehoseClient;
  /** The Kinesis client of the same platform (for delivery streams reading a stream). */
  kinesis: KinesisClient;
}

/** Starts a testbed before the describe block's tests and takes it down after them. */
export function useFirehoseTestbed(
  options: { platform?: Partial<PlatformConfig>; firehose?: () => Promise<Partial<FirehoseConfig>>; kinesis?: Transport } = {},
): FirehoseTestbed {
  const bed = {} as FirehoseTestbed;
  beforeAll(async () => {
    bed.sl = await startTestPlatform(options.platform);
    bed.fh = await startTestFirehose(bed.sl, await options.firehose?.());
    bed.firehose = firehoseClient(bed.sl.endpoint);
    bed.kinesis = kinesisClient(bed.sl.endpoint, options.kinesis ?? 'h2c');
  });
  afterAll(async () => {
    bed.firehose?.destroy();
    bed.kinesis?.destroy();
    await bed.fh?.close();
    if (bed.sl) {
      await removeDeliveryStorage(bed.sl.config.databaseUrl);
      await bed.sl.close();
    }
  });
  return bed;
}
