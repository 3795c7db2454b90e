/**
 * DirectPut delivery streams end to end: the unmodified Firehose client puts, the firehose
 * role buffers by size and by interval and writes GZIP objects into the directory store.
 */
import {
  CreateDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  StartDeliveryStreamEncryptionCommand,
} from '@aws-sdk/client-firehose';
import { connect } from 'nats';
import { Client } from 'pg';
import { deliveryStreamStreamName } from '@shardline/messaging';
import { gunzipSync } from 'node:zlib';
import { eventually } from '../support/firehose';
import { randomName } from '../support/random-name';
import { ROLE_ARN, useFirehoseTestbed, waitStatus } from './support';

describe('Firehose delivery to the directory store', () => {
  const bed = useFirehoseTestbed();

  async function create(name: string, bucket: string, hints: { SizeInMBs: number; IntervalInSeconds: number }, extra: object = {}) {
    await bed.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: {
          RoleARN: ROLE_ARN,
          BucketARN: `arn:aws:s3:::${bucket}`,
          CompressionFormat: 'GZIP',
          BufferingHints: hints,
          ...extra,
        },
      }),
    );
    await waitStatus(bed.firehose, name);
  }

  /** Every delivered object's content, gunzipped, in key order. */
  async function delivered(bucket: string): Promise<string[]> {
    const keys = await bed.fh.runtime.objects.list(bucket).catch(() => []);
    return Promise.all(keys.map(async (key) => gunzipSync(await bed.fh.runtime.objects.get(bucket, key)).toString()));
  }

  it('flushes when the buffer reaches SizeInMBs, long before the interval', async () => {
    const name = randomName('fh-size');
    const bucket = randomName('size').toLowerCase();
    await create(name, bucket, { SizeInMBs: 1, IntervalInSeconds: 900 });
    const record = (i: number) => ({ Data: Buffer.from(`${JSON.stringify({ i, pad: 'p'.repeat(1000) })}\n`) });
    // 2,000 records of ~1 KiB in messages of 500: the third message takes the buffer past 1 MiB.
    for (let b = 0; b < 4; b++) {
      const Records = Array.from({ length: 500 }, (_, i) => record(b * 500 + i));
      expect((await bed.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records }))).FailedPutCount).toBe(0);
    }
    const objects = await eventually(async () => {
      const found = await delivered(bucket);
      return found.length > 0 && found;
    });
    const lines = objects.join('').split('\n').filter(Boolean);
    // Everything up to the message that crossed 1 MiB went in the first object; the rest waits for the interval.
    expect(lines.length).toBe(1500);
    // The object is visible a moment before the delivery is counted.
    const metrics = await eventually(async () => bed.fh.runtime.metricsByName(name)?.['DeliveryToS3.Success'] === 1 && bed.fh.runtime.metricsByName(name));
    expect(metrics).toMatchObject({ IncomingRecords: 2000, 'DeliveryToS3.Records': 1500, 'DeliveryToS3.Success': 1 });
    expect(lines.map((l) => JSON.parse(l).i)).toEqual(lines.map((_, i) => i));
  });

  it('flushes on the interval, measured on the delivery clock', async () => {
    const name = randomName('fh-interval');
    const bucket = randomName('interval').toLowerCase();
    await create(name, bucket, { SizeInMBs: 128, IntervalInSeconds: 600 });
    await bed.firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from('first\n') } }));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await delivered(bucket)).toEqual([]);
    bed.fh.advanceClock(600_000);
    expect(await eventually(async () => (await delivered(bucket)).join('') || undefined)).toBe('first\n');
  });

  it('delivers within about a second with an interval of 0 s', async () => {
    const name = randomName('fh-zero');
    const bucket = randomName('zero').toLowerCase();
    await create(name, bucket, { SizeInMBs: 5, IntervalInSeconds: 0 });
    const started = Date.now();
    await bed.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: [{ Data: Buffer.from('a\n') }, { Data: Buffer.from('b\n') }] }));
    expect(await eventually(async () => (await delivered(bucket)).join('') || undefined)).toBe('a\nb\n');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('seals records at rest with server-side encryption and delivers them in plaintext', async () => {
    const name = randomName('fh-sse');
    const bucket = randomName('sse').toLowerCase();
    await create(name, bucket, { SizeInMBs: 128, IntervalInSeconds: 900 });
    await expect(
      bed.firehose.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: 'arn:aws:kms:us-east-1:000000000000:key/00000000-0000-0000-0000-000000000000' } })),
    ).rejects.toMatchObject({ name: 'InvalidKMSResourceException' });
    await bed.firehose.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: name, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' } }));
    await eventually(async () => {
      const { DeliveryStreamDescription } = await bed.firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: name }));
      return DeliveryStreamDescription?.DeliveryStreamEncryptionConfiguration?.Status === 'ENABLED';
    });
    const secret = 'the launch code is 0000';
    const { Encrypted } = await bed.firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: Buffer.from(`${secret}\n`) } }));
    expect(Encrypted).toBe(true);
    // The record as JetStream holds it: sealed, the plaintext nowhere in the message.
    const db = new Client({ connectionString: bed.sl.config.databaseUrl });
    await db.connect();
    const nc = await connect({ servers: bed.sl.config.natsUrl });
    try {
      const { rows } = await db.query<{ id: string }>('SELECT id FROM delivery_streams WHERE name = $1', [name]);
      const stored = await (await nc.jetstreamManager()).streams.getMessage(deliveryStreamStreamName(rows[0].id), { seq: 1 });
      expect(stored.data.length).toBeGreaterThan(secret.length);
      expect(Buffer.from(stored.data).includes(secret)).toBe(false);
    } finally {
      await nc.close();
      await db.end();
    }
    bed.fh.advanceClock(900_000);
    expect(await eventually(async () => (await delivered(bucket)).join('') || undefined)).toBe(`${secret}\n`);
  });
});
