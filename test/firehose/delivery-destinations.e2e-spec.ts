/**
 * The three destination kinds end to end, created through the unmodified Firehose client:
 * ExtendedS3 onto a real S3-compatible server (s3rver) with dynamic partitioning and
 * Parquet; an HTTP endpoint that fails first (same request id on the retry); Redshift
 * pointed at Postgres (rows loaded once, bad rows to the S3 error output).
 */
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { Client } from 'pg';
import { gunzipSync } from 'node:zlib';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { eventually, startTestFirehose, type TestFirehose } from '../support/firehose';
import { HttpReceiver } from '../support/http-receiver';
import { randomName } from '../support/random-name';
import { startS3Server, type TestS3Server } from '../support/s3-server';
import { firehoseClient, REGION_PARTITIONING, removeDeliveryStorage, ROLE_ARN, waitStatus } from './support';

const BUCKET = 'delivered';

describe('Firehose destinations', () => {
  let sl: TestPlatform;
  let s3: TestS3Server;
  let fh: TestFirehose;
  let firehose: FirehoseClient;

  beforeAll(async () => {
    sl = await startTestPlatform();
    s3 = await startS3Server([BUCKET]);
    fh = await startTestFirehose(sl, { s3: { endpoint: s3.endpoint, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
    firehose = firehoseClient(sl.endpoint);
  });
  afterAll(async () => {
    firehose.destroy();
    await fh.close();
    await s3.stop();
    await removeDeliveryStorage(sl.config.databaseUrl);
    await sl.close();
  });

  const put = (name: string, texts: string[]) =>
    firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: texts.map((t) => ({ Data: Buffer.from(t) })) }));
  const keysUnder = async (prefix: string) => (await fh.runtime.objects.list(BUCKET, prefix)).filter((k) => k.startsWith(prefix));

  it('writes dynamically partitioned GZIP objects into S3 and failures under the error prefix', async () => {
    const name = randomName('fh-s3');
    const root = `${name}/`;
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          RoleARN: ROLE_ARN,
          BucketARN: `arn:aws:s3:::${BUCKET}`,
          Prefix: `${root}region=!{partitionKeyFromQuery:region}/!{timestamp:yyyy}/`,
          ErrorOutputPrefix: `${root}errors/!{firehose:error-output-type}/`,
          CompressionFormat: 'GZIP',
          BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 },
          ...REGION_PARTITIONING,
        },
      }),
    );
    await waitStatus(firehose, name);
    const year = new Date().getUTCFullYear();
    await put(name, ['{"region":"eu","n":1}', '{"region":"us","n":2}', '{"region":"eu","n":3}', 'oops']);
    const eu = await eventually(async () => (await keysUnder(`${root}region=eu/${year}/`))[0]);
    const us = await eventually(async () => (await keysUnder(`${root}region=us/${year}/`))[0]);
    expect(gunzipSync(await fh.runtime.objects.get(BUCKET, eu)).toString()).toBe('{"region":"eu","n":1}\n{"region":"eu","n":3}\n');
    expect(gunzipSync(await fh.runtime.objects.get(BUCKET, us)).toString()).toBe('{"region":"us","n":2}\n');
    expect(eu).toMatch(new RegExp(`${name}-1-\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9a-f-]{36}\\.gz$`));
    const error = await eventually(async () => (await keysUnder(`${root}errors/partitioning-failed/`))[0]);
    expect(JSON.parse((await fh.runtime.objects.get(BUCKET, error)).toString())).toMatchObject({ rawData: Buffer.from('oops').toString('base64') });
  });

  it('delivers to an HTTP endpoint, retrying a failure with the same request id', async () => {
    const receiver = await new HttpReceiver().answer({ status: 500, body: 'busy' }).start();
    try {
      const name = randomName('fh-http');
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          HttpEndpointDestinationConfiguration: {
            EndpointConfiguration: { Url: receiver.url, Name: 'receiver', AccessKey: 'secret-key' },
            BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
            RequestConfiguration: { ContentEncoding: 'GZIP', CommonAttributes: [{ AttributeName: 'env', AttributeValue: 'test' }] },
            RetryOptions: { DurationInSeconds: 60 },
            S3BackupMode: 'FailedDataOnly',
            S3Configuration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${BUCKET}`, Prefix: `${name}/` },
          },
        }),
      );
      await waitStatus(firehose, name);
      await put(name, ['one', 'two']);
      await eventually(async () => receiver.requests.length >= 2, 20_000);
      const [first, second] = receiver.requests;
      expect(second.headers['x-amz-firehose-request-id']).toBe(first.headers['x-amz-firehose-request-id']);
      expect(second.headers['x-amz-firehose-access-key']).toBe('secret-key');
      expect(JSON.parse(String(second.headers['x-amz-firehose-common-attributes']))).toEqual({ commonAttributes: { env: 'test' } });
      const body = second.json as { requestId: string; records: Array<{ data: string }> };
      expect(body.requestId).toBe(first.headers['x-amz-firehose-request-id']);
      expect(body.records.map((r) => Buffer.from(r.data, 'base64').toString())).toEqual(['one', 'two']);
    } finally {
      await receiver.stop();
    }
  });

  it('loads rows into Postgres through a Redshift configuration, once, with bad rows in the error output', async () => {
    const db = new Client({ connectionString: sl.config.databaseUrl });
    await db.connect();
    try {
      const table = `orders_${Date.now()}`;
      await db.query(`CREATE TABLE ${table} (id integer NOT NULL, customer text)`);
      const name = randomName('fh-redshift');
      const url = new URL(sl.config.databaseUrl);
      await firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: name,
          RedshiftDestinationConfiguration: {
            RoleARN: ROLE_ARN,
            ClusterJDBCURL: `jdbc:postgresql://${url.host}${url.pathname}`,
            Username: 'postgres',
            Password: 'unused',
            CopyCommand: { DataTableName: table, DataTableColumns: 'id,customer', CopyOptions: "json 'auto'" },
            S3Configuration: {
              RoleARN: ROLE_ARN,
              BucketARN: `arn:aws:s3:::${BUCKET}`,
              Prefix: `${name}/`,
              BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
            },
          },
        }),
      );
      await waitStatus(firehose, name);
      await put(name, ['{"id":1,"customer":"acme"}', '{"id":"x","customer":"bad"}', '{"id":2,"customer":"globex"}']);
      const rows = await eventually(async () => {
        const { rows } = await db.query(`SELECT id, customer FROM ${table} ORDER BY id`);
        return rows.length === 2 && rows;
      });
      expect(rows).toEqual([{ id: 1, customer: 'acme' }, { id: 2, customer: 'globex' }]);
      const failed = await eventually(async () => (await keysUnder(`${name}/redshift-failed/`))[0]);
      expect(JSON.parse((await fh.runtime.objects.get(BUCKET, failed)).toString())).toMatchObject({
        rawData: Buffer.from('{"id":"x","customer":"bad"}').toString('base64'),
      });
    } finally {
      await db.end();
    }
  });
});
