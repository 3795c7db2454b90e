import { randomBytes } from 'node:crypto';
import {
  CreateDeliveryStreamCommand,
  DeleteDeliveryStreamCommand,
  DescribeDeliveryStreamCommand,
  ListDeliveryStreamsCommand,
  ListTagsForDeliveryStreamCommand,
  PutRecordBatchCommand,
  PutRecordCommand,
  StartDeliveryStreamEncryptionCommand,
  StopDeliveryStreamEncryptionCommand,
  TagDeliveryStreamCommand,
  UntagDeliveryStreamCommand,
  UpdateDestinationCommand,
  type CreateDeliveryStreamCommandInput,
  type FirehoseClient,
} from '@aws-sdk/client-firehose';
import { DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { connect, type NatsConnection } from 'nats';
import { deliveryStreamStreamName } from '@shardline/messaging';
import { createActiveStream, expectAwsError } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { BUCKET_ARN, ROLE_ARN, firehoseClient, removeDeliveryStorage, waitStatus } from './support';

const s3 = { RoleARN: ROLE_ARN, BucketARN: BUCKET_ARN };

describe('Firehose control plane (SDK)', () => {
  let platform: TestPlatform;
  let firehose: FirehoseClient;
  let kinesis: KinesisClient;
  let nc: NatsConnection;
  let account: string;

  beforeAll(async () => {
    // CREATING lasts 300 ms: long enough to see it from a loaded machine, short enough for the suite.
    // The customer-managed key the encryption test names is one the platform holds.
    const kmsKeys = JSON.stringify({ '1234abcd-12ab-34cd-56ef-1234567890ab': randomBytes(32).toString('base64') });
    platform = await startTestPlatform({ createDelayMs: 300, kmsKeys });
    firehose = firehoseClient(platform.endpoint);
    kinesis = kinesisClient(platform.endpoint, 'http1');
    nc = await connect({ servers: platform.config.natsUrl });
    account = platform.config.accountId;
  });
  afterAll(async () => {
    firehose.destroy();
    kinesis.destroy();
    await nc.close();
    await removeDeliveryStorage(platform.config.databaseUrl);
    await platform.close();
  });

  const describe_ = async (DeliveryStreamName: string) =>
    (await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName }))).DeliveryStreamDescription!;

  async function createActive(input: CreateDeliveryStreamCommandInput): Promise<void> {
    await firehose.send(new CreateDeliveryStreamCommand(input));
    await waitStatus(firehose, input.DeliveryStreamName!);
  }

  /** The raw JSON answer of an operation (to see members the SDK drops, such as Shardline's extensions). */
  async function raw(operation: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(platform.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Firehose_20150804.${operation}` },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it('CreateDeliveryStream: CREATING, then ACTIVE with an extended S3 destination described as AWS does (defaults filled in)', async () => {
    const DeliveryStreamName = randomName('s3');
    const { DeliveryStreamARN } = await firehose.send(
      new CreateDeliveryStreamCommand({ DeliveryStreamName, ExtendedS3DestinationConfiguration: { ...s3, Prefix: 'data/' } }),
    );
    expect(DeliveryStreamARN).toBe(`arn:aws:firehose:${platform.config.region}:${account}:deliverystream/${DeliveryStreamName}`);
    expect((await describe_(DeliveryStreamName)).DeliveryStreamStatus).toBe('CREATING');
    await waitStatus(firehose, DeliveryStreamName);
    const description = await describe_(DeliveryStreamName);
    expect(description).toMatchObject({
      DeliveryStreamName,
      DeliveryStreamARN,
      DeliveryStreamStatus: 'ACTIVE',
      DeliveryStreamType: 'DirectPut',
      VersionId: '1',
      DeliveryStreamEncryptionConfiguration: { Status: 'DISABLED' },
      HasMoreDestinations: false,
    });
    expect(description.CreateTimestamp).toBeInstanceOf(Date);
    const [destination] = description.Destinations!;
    expect(destination.DestinationId).toBe('destinationId-000000000001');
    expect(destination.ExtendedS3DestinationDescription).toMatchObject({
      ...s3,
      Prefix: 'data/',
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      CompressionFormat: 'UNCOMPRESSED',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      S3BackupMode: 'Disabled',
    });
    expect(destination.S3DestinationDescription).toMatchObject({ ...s3, CompressionFormat: 'UNCOMPRESSED' });
    // The direct-put storage exists once it is ACTIVE.
    const jsm = await nc.jetstreamManager();
    const [{ id }]: Array<{ id: string }> = await platform.platform.dataSource.query('SELECT id FROM delivery_streams WHERE name = $1', [
      DeliveryStreamName,
    ]);
    await expect(jsm.streams.info(deliveryStreamStreamName(id))).resolves.toBeDefined();

    await expectAwsError(
      firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName, ExtendedS3DestinationConfiguration: s3 })),
      'ResourceInUseException',
      `Firehose ${DeliveryStreamName} under account ${account} already exists.`,
    );

    await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName }));
    expect((await describe_(DeliveryStreamName)).DeliveryStreamStatus).toBe('DELETING');
    const deadline = Date.now() + 5000;
    for (;;) {
      const gone = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName })).then(
        () => false,
        (err: Error) => err.name === 'ResourceNotFoundException',
      );
      if (gone || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await expectAwsError(
      firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName })),
      'ResourceNotFoundException',
      `Firehose ${DeliveryStreamName} under account ${account} not found.`,
    );
    // Its JetStream stream goes with it (removed right after the row becomes gone).
    for (let i = 0; i < 40 && (await jsm.streams.info(deliveryStreamStreamName(id)).then(() => true, () => false)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await expect(jsm.streams.info(deliveryStreamStreamName(id))).rejects.toThrow();
  });

  it('validates each destination by AWS rules: bad buffering hints, dynamic partitioning under 64 MiB, no destination', async () => {
    const DeliveryStreamName = randomName('bad');
    await expectAwsError(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName,
          ExtendedS3DestinationConfiguration: { ...s3, BufferingHints: { SizeInMBs: 0, IntervalInSeconds: 901 } },
        }),
      ),
      'ValidationException',
      "2 validation errors detected: Value '901' at 'extendedS3DestinationConfiguration.bufferingHints.intervalInSeconds' failed to satisfy constraint: Member must have value less than or equal to 900; Value '0' at 'extendedS3DestinationConfiguration.bufferingHints.sizeInMBs' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    await expectAwsError(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName,
          HttpEndpointDestinationConfiguration: {
            EndpointConfiguration: { Url: 'https://example.com' },
            BufferingHints: { SizeInMBs: 65 },
            S3Configuration: s3,
          },
        }),
      ),
      'ValidationException',
      /httpEndpointDestinationConfiguration\.bufferingHints\.sizeInMBs' failed to satisfy constraint: Member must have value less than or equal to 64$/,
    );
    await expectAwsError(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName,
          ExtendedS3DestinationConfiguration: { ...s3, DynamicPartitioningConfiguration: { Enabled: true }, BufferingHints: { SizeInMBs: 5 } },
        }),
      ),
      'InvalidArgumentException',
      'BufferingHints.SizeInMBs must be at least 64 when Dynamic Partitioning is enabled.',
    );
    await expectAwsError(
      firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName, ExtendedS3DestinationConfiguration: { BucketARN: BUCKET_ARN } as never })),
      'ValidationException',
      "1 validation error detected: Value null at 'extendedS3DestinationConfiguration.roleARN' failed to satisfy constraint: Member must not be null",
    );
    await expectAwsError(firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName })), 'InvalidArgumentException');
    await expectAwsError(
      firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName })),
      'ResourceNotFoundException',
      `Firehose ${DeliveryStreamName} under account ${account} not found.`,
    );
  });

  it('refuses processors and prefixes the pipeline could not run: a jq query that does not compile, partition keys without dynamic partitioning', async () => {
    const DeliveryStreamName = randomName('bad-pipeline');
    const extraction = (query: string) => ({
      Enabled: true,
      Processors: [
        {
          Type: 'MetadataExtraction' as const,
          Parameters: [
            { ParameterName: 'MetadataExtractionQuery' as const, ParameterValue: query },
            { ParameterName: 'JsonParsingEngine' as const, ParameterValue: 'JQ-1.6' },
          ],
        },
      ],
    });
    const dynamic = { DynamicPartitioningConfiguration: { Enabled: true }, BufferingHints: { SizeInMBs: 64 }, ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/' };
    await expectAwsError(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName,
          ExtendedS3DestinationConfiguration: { ...s3, ...dynamic, Prefix: 'k=!{partitionKeyFromQuery:k}/', ProcessingConfiguration: extraction('{k: .k') },
        }),
      ),
      'InvalidArgumentException',
      /^MetadataExtractionQuery is not a valid jq expression/,
    );
    await expectAwsError(
      firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName, ExtendedS3DestinationConfiguration: { ...s3, Prefix: 'k=!{partitionKeyFromQuery:k}/', ErrorOutputPrefix: 'e/!{firehose:error-output-type}/' } })),
      'InvalidArgumentException',
      /only when dynamic partitioning is enabled/,
    );
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName,
        ExtendedS3DestinationConfiguration: { ...s3, ...dynamic, Prefix: 'k=!{partitionKeyFromQuery:k}/', ProcessingConfiguration: extraction('{k: .k}') },
      }),
    );
  });

  it('HTTP endpoint and Redshift destinations: described as AWS does, without their secrets', async () => {
    const http = randomName('http');
    await createActive({
      DeliveryStreamName: http,
      HttpEndpointDestinationConfiguration: {
        EndpointConfiguration: { Url: 'https://collector.example.com/ingest', Name: 'collector', AccessKey: 'top-secret' },
        RequestConfiguration: { ContentEncoding: 'GZIP', CommonAttributes: [{ AttributeName: 'env', AttributeValue: 'test' }] },
        RetryOptions: { DurationInSeconds: 60 },
        S3BackupMode: 'AllData',
        S3Configuration: s3,
      },
    });
    const httpDescription = (await describe_(http)).Destinations![0].HttpEndpointDestinationDescription!;
    expect(httpDescription).toMatchObject({
      EndpointConfiguration: { Url: 'https://collector.example.com/ingest', Name: 'collector' },
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      RequestConfiguration: { ContentEncoding: 'GZIP', CommonAttributes: [{ AttributeName: 'env', AttributeValue: 'test' }] },
      RetryOptions: { DurationInSeconds: 60 },
      S3BackupMode: 'AllData',
      S3DestinationDescription: { ...s3, CompressionFormat: 'UNCOMPRESSED' },
    });
    expect(JSON.stringify((await raw('DescribeDeliveryStream', { DeliveryStreamName: http })).json)).not.toContain('top-secret');

    const redshift = randomName('redshift');
    const config = {
      RoleARN: ROLE_ARN,
      ClusterJDBCURL: 'jdbc:redshift://cluster.abc.us-east-1.redshift.amazonaws.com:5439/dev',
      CopyCommand: { DataTableName: 'events', DataTableColumns: 'id,name' },
      Username: 'loader',
      Password: 'hunter22',
      S3Configuration: s3,
    };
    await createActive({ DeliveryStreamName: redshift, RedshiftDestinationConfiguration: config });
    const redshiftDescription = (await describe_(redshift)).Destinations![0].RedshiftDestinationDescription!;
    expect(redshiftDescription).toMatchObject({
      RoleARN: ROLE_ARN,
      ClusterJDBCURL: config.ClusterJDBCURL,
      CopyCommand: config.CopyCommand,
      Username: 'loader',
      RetryOptions: { DurationInSeconds: 3600 },
      S3BackupMode: 'Disabled',
    });
    expect(JSON.stringify((await raw('DescribeDeliveryStream', { DeliveryStreamName: redshift })).json)).not.toContain('hunter22');
    await expectAwsError(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: randomName('redshift'),
          RedshiftDestinationConfiguration: { ...config, S3Configuration: { ...s3, CompressionFormat: 'ZIP' } },
        }),
      ),
      'InvalidArgumentException',
    );

    // The legacy S3DestinationConfiguration is stored as an extended S3 destination.
    const legacy = randomName('legacy');
    await createActive({ DeliveryStreamName: legacy, S3DestinationConfiguration: { ...s3, CompressionFormat: 'GZIP' } });
    expect((await describe_(legacy)).Destinations![0].ExtendedS3DestinationDescription).toMatchObject({ ...s3, CompressionFormat: 'GZIP' });
  });

  it('Parquet conversion takes its schema from SchemaConfiguration.Columns (JSON body) or the shardline:schema tag (SDK)', async () => {
    const conversion = {
      Enabled: true,
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'GZIP' as const } } },
      SchemaConfiguration: { DatabaseName: 'db', TableName: 'events' },
    };
    await expectAwsError(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: randomName('parquet'),
          ExtendedS3DestinationConfiguration: { ...s3, DataFormatConversionConfiguration: conversion },
        }),
      ),
      'InvalidArgumentException',
      /needs a schema/,
    );
    const tagged = randomName('parquet');
    await createActive({
      DeliveryStreamName: tagged,
      ExtendedS3DestinationConfiguration: { ...s3, DataFormatConversionConfiguration: conversion },
      Tags: [{ Key: 'shardline:schema', Value: 'id=int name=string at=timestamp' }],
    });
    const viaTag = (await raw('DescribeDeliveryStream', { DeliveryStreamName: tagged })).json as {
      DeliveryStreamDescription: {
        Destinations: Array<{
          ExtendedS3DestinationDescription: {
            BufferingHints: unknown;
            DataFormatConversionConfiguration: { SchemaConfiguration: { Columns: unknown } };
          };
        }>;
      };
    };
    const extended = viaTag.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription;
    expect(extended.BufferingHints).toEqual({ SizeInMBs: 128, IntervalInSeconds: 300 });
    expect(extended.DataFormatConversionConfiguration.SchemaConfiguration.Columns).toEqual([
      { Name: 'id', Type: 'int' },
      { Name: 'name', Type: 'string' },
      { Name: 'at', Type: 'timestamp' },
    ]);

    const columns = [{ Name: 'payload', Type: 'struct<a:int,b:array<string>>' }];
    const inBody = randomName('parquet');
    const created = await raw('CreateDeliveryStream', {
      DeliveryStreamName: inBody,
      ExtendedS3DestinationConfiguration: { ...s3, DataFormatConversionConfiguration: { ...conversion, SchemaConfiguration: { Columns: columns } } },
    });
    expect(created.status).toBe(200);
    const described = (await raw('DescribeDeliveryStream', { DeliveryStreamName: inBody })).json as typeof viaTag;
    expect(described.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.DataFormatConversionConfiguration).toMatchObject({
      SchemaConfiguration: { Columns: columns },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'GZIP' } } },
    });
  });

  it('ListDeliveryStreams pages by name, filters by type', async () => {
    const prefix = randomName('list');
    const names = [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`];
    for (const DeliveryStreamName of names) {
      await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName, ExtendedS3DestinationConfiguration: s3 }));
    }
    const first = await firehose.send(new ListDeliveryStreamsCommand({ Limit: 2, ExclusiveStartDeliveryStreamName: `${prefix}-` }));
    expect(first.DeliveryStreamNames!.slice(0, 2)).toEqual(names.slice(0, 2));
    expect(first.HasMoreDeliveryStreams).toBe(true);
    const next = await firehose.send(new ListDeliveryStreamsCommand({ Limit: 1, ExclusiveStartDeliveryStreamName: names[1] }));
    expect(next.DeliveryStreamNames).toEqual([names[2]]);
    const kinesisOnly = await firehose.send(new ListDeliveryStreamsCommand({ DeliveryStreamType: 'KinesisStreamAsSource', Limit: 10000 }));
    expect(kinesisOnly.DeliveryStreamNames).not.toContain(names[0]);
    await expectAwsError(firehose.send(new ListDeliveryStreamsCommand({ Limit: 0 })), 'ValidationException');
  });

  it('UpdateDestination: checks the version id, merges the same destination kind, replaces another, increments VersionId', async () => {
    const DeliveryStreamName = randomName('update');
    await createActive({ DeliveryStreamName, ExtendedS3DestinationConfiguration: { ...s3, BufferingHints: { SizeInMBs: 10, IntervalInSeconds: 60 } } });
    const DestinationId = 'destinationId-000000000001';
    await expectAwsError(
      firehose.send(new UpdateDestinationCommand({ DeliveryStreamName, CurrentDeliveryStreamVersionId: '7', DestinationId, ExtendedS3DestinationUpdate: { Prefix: 'x/' } })),
      'ConcurrentModificationException',
      `Cannot update firehose: ${DeliveryStreamName} since the current version id: 1 and the specified version id: 7 do not match`,
    );
    await firehose.send(
      new UpdateDestinationCommand({
        DeliveryStreamName,
        CurrentDeliveryStreamVersionId: '1',
        DestinationId,
        ExtendedS3DestinationUpdate: { Prefix: 'x/', BufferingHints: { SizeInMBs: 20 } },
      }),
    );
    let description = await describe_(DeliveryStreamName);
    expect(description.VersionId).toBe('2');
    expect(description.LastUpdateTimestamp).toBeInstanceOf(Date);
    expect(description.Destinations![0].ExtendedS3DestinationDescription).toMatchObject({
      Prefix: 'x/',
      BufferingHints: { SizeInMBs: 20, IntervalInSeconds: 60 },
    });
    // Another kind replaces the destination and must be complete.
    await expectAwsError(
      firehose.send(
        new UpdateDestinationCommand({
          DeliveryStreamName,
          CurrentDeliveryStreamVersionId: '2',
          DestinationId,
          HttpEndpointDestinationUpdate: { EndpointConfiguration: { Url: 'https://example.com' } },
        }),
      ),
      'ValidationException',
      /httpEndpointDestinationConfiguration\.s3Configuration' failed to satisfy constraint: Member must not be null/,
    );
    await firehose.send(
      new UpdateDestinationCommand({
        DeliveryStreamName,
        CurrentDeliveryStreamVersionId: '2',
        DestinationId,
        HttpEndpointDestinationUpdate: { EndpointConfiguration: { Url: 'https://example.com' }, S3Update: s3 },
      }),
    );
    description = await describe_(DeliveryStreamName);
    expect(description.VersionId).toBe('3');
    expect(description.Destinations![0].HttpEndpointDestinationDescription!.EndpointConfiguration).toEqual({ Url: 'https://example.com' });
    expect(description.Destinations![0].ExtendedS3DestinationDescription).toBeUndefined();
    await expectAwsError(
      firehose.send(
        new UpdateDestinationCommand({ DeliveryStreamName, CurrentDeliveryStreamVersionId: '3', DestinationId, ExtendedS3DestinationUpdate: { BufferingHints: { IntervalInSeconds: 1000 } } }),
      ),
      'ValidationException',
    );
    await expectAwsError(
      firehose.send(new UpdateDestinationCommand({ DeliveryStreamName: 'nope', CurrentDeliveryStreamVersionId: '1', DestinationId, S3DestinationUpdate: { Prefix: 'x' } })),
      'ResourceNotFoundException',
    );
  });

  it('TagDeliveryStream / UntagDeliveryStream / ListTagsForDeliveryStream, with the 50-tag limit', async () => {
    const DeliveryStreamName = randomName('tags');
    await createActive({ DeliveryStreamName, ExtendedS3DestinationConfiguration: s3, Tags: [{ Key: 'team', Value: 'data' }] });
    await firehose.send(new TagDeliveryStreamCommand({ DeliveryStreamName, Tags: [{ Key: 'env', Value: 'test' }, { Key: 'team', Value: 'ops' }] }));
    expect(await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName }))).toMatchObject({
      Tags: [
        { Key: 'env', Value: 'test' },
        { Key: 'team', Value: 'ops' },
      ],
      HasMoreTags: false,
    });
    const page = await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName, Limit: 1 }));
    expect(page).toMatchObject({ Tags: [{ Key: 'env', Value: 'test' }], HasMoreTags: true });
    await firehose.send(new UntagDeliveryStreamCommand({ DeliveryStreamName, TagKeys: ['env'] }));
    expect((await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName }))).Tags).toEqual([{ Key: 'team', Value: 'ops' }]);

    const tags = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
    await firehose.send(new TagDeliveryStreamCommand({ DeliveryStreamName, Tags: tags(0, 49) }));
    await expectAwsError(firehose.send(new TagDeliveryStreamCommand({ DeliveryStreamName, Tags: tags(49, 1) })), 'LimitExceededException');
    await expectAwsError(
      firehose.send(new TagDeliveryStreamCommand({ DeliveryStreamName, Tags: tags(100, 51) })),
      'ValidationException',
      /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50$/,
    );
    await expectAwsError(
      firehose.send(new TagDeliveryStreamCommand({ DeliveryStreamName, Tags: [{ Key: 'aws:reserved', Value: 'x' }] })),
      'ValidationException',
    );
    expect((await firehose.send(new ListTagsForDeliveryStreamCommand({ DeliveryStreamName }))).Tags).toHaveLength(50);
  });

  it('Start/StopDeliveryStreamEncryption: ENABLING -> ENABLED, DISABLING -> DISABLED; puts answer Encrypted', async () => {
    const DeliveryStreamName = randomName('sse');
    await createActive({ DeliveryStreamName, ExtendedS3DestinationConfiguration: s3 });
    await expectAwsError(
      firehose.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK' } })),
      'InvalidArgumentException',
      'KeyARN is required when KeyType is CUSTOMER_MANAGED_CMK.',
    );
    const KeyARN = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    await firehose.send(
      new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName, DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN } }),
    );
    expect((await describe_(DeliveryStreamName)).DeliveryStreamEncryptionConfiguration).toEqual({ KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN, Status: 'ENABLING' });
    await waitFor(async () => (await describe_(DeliveryStreamName)).DeliveryStreamEncryptionConfiguration!.Status === 'ENABLED');
    const { Encrypted } = await firehose.send(new PutRecordCommand({ DeliveryStreamName, Record: { Data: Buffer.from('x') } }));
    expect(Encrypted).toBe(true);
    await firehose.send(new StopDeliveryStreamEncryptionCommand({ DeliveryStreamName }));
    expect((await describe_(DeliveryStreamName)).DeliveryStreamEncryptionConfiguration!.Status).toBe('DISABLING');
    await waitFor(async () => (await describe_(DeliveryStreamName)).DeliveryStreamEncryptionConfiguration!.Status === 'DISABLED');

    const owned = randomName('sse');
    await createActive({
      DeliveryStreamName: owned,
      ExtendedS3DestinationConfiguration: s3,
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
    });
    expect((await describe_(owned)).DeliveryStreamEncryptionConfiguration).toEqual({ KeyType: 'AWS_OWNED_CMK', Status: 'ENABLED' });
  });

  it('KinesisStreamAsSource: the source stream must exist; puts are refused as AWS refuses them', async () => {
    const StreamName = randomName('source');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    const KinesisStreamARN = StreamDescriptionSummary!.StreamARN!;
    const missingArn = KinesisStreamARN.replace(StreamName, `${StreamName}-missing`);
    await expectAwsError(
      firehose.send(
        new CreateDeliveryStreamCommand({
          DeliveryStreamName: randomName('ks'),
          DeliveryStreamType: 'KinesisStreamAsSource',
          KinesisStreamSourceConfiguration: { KinesisStreamARN: missingArn, RoleARN: ROLE_ARN },
          ExtendedS3DestinationConfiguration: s3,
        }),
      ),
      'InvalidArgumentException',
      `Kinesis stream ${missingArn} does not exist.`,
    );
    await expectAwsError(
      firehose.send(
        new CreateDeliveryStreamCommand({ DeliveryStreamName: randomName('ks'), DeliveryStreamType: 'KinesisStreamAsSource', ExtendedS3DestinationConfiguration: s3 }),
      ),
      'InvalidArgumentException',
    );
    const DeliveryStreamName = randomName('ks');
    await createActive({
      DeliveryStreamName,
      DeliveryStreamType: 'KinesisStreamAsSource',
      KinesisStreamSourceConfiguration: { KinesisStreamARN, RoleARN: ROLE_ARN },
      ExtendedS3DestinationConfiguration: s3,
    });
    const description = await describe_(DeliveryStreamName);
    expect(description.DeliveryStreamType).toBe('KinesisStreamAsSource');
    expect(description.Source!.KinesisStreamSourceDescription).toMatchObject({ KinesisStreamARN, RoleARN: ROLE_ARN });
    const refused = 'This operation is not permitted on KinesisStreamAsSource delivery stream type.';
    await expectAwsError(firehose.send(new PutRecordCommand({ DeliveryStreamName, Record: { Data: Buffer.from('x') } })), 'InvalidArgumentException', refused);
    await expectAwsError(
      firehose.send(new PutRecordBatchCommand({ DeliveryStreamName, Records: [{ Data: Buffer.from('x') }] })),
      'InvalidArgumentException',
      refused,
    );
    const kinesisOnly = await firehose.send(new ListDeliveryStreamsCommand({ DeliveryStreamType: 'KinesisStreamAsSource', Limit: 10000 }));
    expect(kinesisOnly.DeliveryStreamNames).toEqual([DeliveryStreamName]);
  });

  it('answers an unknown operation and a body that is not JSON as AWS does', async () => {
    const unknown = await raw('NoSuchOperation', {});
    expect(unknown).toEqual({ status: 400, json: { __type: 'UnknownOperationException', message: 'Unknown operation: Firehose_20150804.NoSuchOperation' } });
    const wrongType = await raw('DescribeDeliveryStream', { DeliveryStreamName: 5 });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.__type).toBe('SerializationException');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
