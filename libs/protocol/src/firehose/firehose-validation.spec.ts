import { ShardlineError } from '../errors';
import { validate } from '../validation/engine';
import { mergeConfig } from './operations/update-destination';
import { describeOutput } from './operations/description';
import type { DeliveryStream } from './domain';
import { createDeliveryStreamTable } from './validation/create-delivery-stream';
import { normalizeDestination } from './validation/destination';
import { parseSchemaTag } from './validation/data-format-conversion';
import { putRecordBatchTable } from './validation/put-record-batch';
import { tagDeliveryStreamTable } from './validation/simple-tables';
import { configurationMembers, updateDestinationTable } from './validation/update-destination';

const s3 = { RoleARN: 'arn:aws:iam::123456789012:role/r', BucketARN: 'arn:aws:s3:::b' };

function error(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (err instanceof ShardlineError) return { type: err.type, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}

describe('Firehose validation tables', () => {
  it('reports constraint violations with AWS member paths', () => {
    const body = { DeliveryStreamName: 'bad name!', ExtendedS3DestinationConfiguration: { ...s3, CompressionFormat: 'LZ4' } };
    expect(error(() => validate(createDeliveryStreamTable, body))).toEqual({
      type: 'ValidationException',
      message:
        "2 validation errors detected: Value 'bad name!' at 'deliveryStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; " +
        "Value 'LZ4' at 'extendedS3DestinationConfiguration.compressionFormat' failed to satisfy constraint: Member must satisfy enum value set: [UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY]",
    });
  });

  it('decodes record data and bounds each record at 1,000 KiB', () => {
    const input = validate(putRecordBatchTable, { DeliveryStreamName: 'd', Records: [{ Data: 'aGk=' }] });
    expect(input.Records[0].Data).toEqual(Buffer.from('hi'));
    const big = Buffer.alloc(1_024_001).toString('base64');
    expect(error(() => validate(putRecordBatchTable, { DeliveryStreamName: 'd', Records: [{ Data: big }] })).message).toContain(
      "at 'records.1.member.data' failed to satisfy constraint: Member must have length less than or equal to 1024000",
    );
  });

  it('tag keys may not start with aws: (unicode pattern)', () => {
    expect(() => validate(tagDeliveryStreamTable, { DeliveryStreamName: 'd', Tags: [{ Key: 'équipe', Value: 'données' }] })).not.toThrow();
    expect(error(() => validate(tagDeliveryStreamTable, { DeliveryStreamName: 'd', Tags: [{ Key: 'aws:x' }] })).type).toBe('ValidationException');
  });

  it('updates name their S3 members S3Update / S3BackupUpdate and require nothing', () => {
    const input = validate(updateDestinationTable, {
      DeliveryStreamName: 'd',
      CurrentDeliveryStreamVersionId: '1',
      DestinationId: 'destinationId-000000000001',
      HttpEndpointDestinationUpdate: { S3Update: { Prefix: 'p' } },
    });
    expect(configurationMembers(input.HttpEndpointDestinationUpdate as Record<string, unknown>)).toEqual({ S3Configuration: { Prefix: 'p' } });
  });
});

describe('destination rules', () => {
  it('fills AWS defaults in an extended S3 destination', () => {
    const { config } = normalizeDestination({ kind: 'ExtendedS3', config: { ...s3 } as never }, {});
    expect(config).toEqual({
      ...s3,
      BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
      CompressionFormat: 'UNCOMPRESSED',
      EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
      S3BackupMode: 'Disabled',
    });
  });

  it('dynamic partitioning defaults to and needs a 64 MiB buffer', () => {
    const partitioned = { ...s3, DynamicPartitioningConfiguration: { Enabled: true } };
    const { config } = normalizeDestination({ kind: 'ExtendedS3', config: partitioned as never }, {});
    expect((config as { BufferingHints: unknown }).BufferingHints).toEqual({ SizeInMBs: 64, IntervalInSeconds: 300 });
    const small = { ...partitioned, BufferingHints: { SizeInMBs: 63 } };
    expect(error(() => normalizeDestination({ kind: 'ExtendedS3', config: small as never }, {})).type).toBe('InvalidArgumentException');
  });

  it('format conversion needs UNCOMPRESSED and a schema, from the member or the hook', () => {
    const conversion = { Enabled: true, SchemaConfiguration: { Columns: [{ Name: 'id', Type: 'bigint' }] } };
    const gzip = { ...s3, CompressionFormat: 'GZIP', DataFormatConversionConfiguration: conversion };
    expect(error(() => normalizeDestination({ kind: 'ExtendedS3', config: gzip as never }, {})).message).toMatch(/UNCOMPRESSED/);
    const noSchema = { ...s3, DataFormatConversionConfiguration: { Enabled: true } };
    expect(error(() => normalizeDestination({ kind: 'ExtendedS3', config: noSchema as never }, {})).message).toMatch(/needs a schema/);
    const fromTag = normalizeDestination({ kind: 'ExtendedS3', config: noSchema as never }, { schemaColumns: () => parseSchemaTag('a=int  b=string') });
    expect(fromTag.config).toMatchObject({
      DataFormatConversionConfiguration: { SchemaConfiguration: { Columns: [{ Name: 'a', Type: 'int' }, { Name: 'b', Type: 'string' }] } },
    });
    expect(error(() => parseSchemaTag('a')).type).toBe('InvalidArgumentException');
  });

  it('runs the processing and prefix hooks', () => {
    const seen: string[] = [];
    const config = { ...s3, Prefix: 'p/', ProcessingConfiguration: { Enabled: true, Processors: [] } };
    normalizeDestination(
      { kind: 'ExtendedS3', config: config as never },
      { processing: () => seen.push('processing'), prefixes: (input) => seen.push(`prefixes ${input.prefix}`) },
    );
    expect(seen).toEqual(['processing', 'prefixes p/']);
  });

  it('Redshift refuses ZIP and Snappy for its intermediate S3 data', () => {
    const config = {
      RoleARN: s3.RoleARN,
      ClusterJDBCURL: 'jdbc:postgresql://127.0.0.1:5432/db',
      CopyCommand: { DataTableName: 't' },
      Username: 'u',
      Password: 'secret1',
      S3Configuration: { ...s3, CompressionFormat: 'Snappy' },
    };
    expect(error(() => normalizeDestination({ kind: 'Redshift', config: config as never }, {})).type).toBe('InvalidArgumentException');
  });
});

describe('UpdateDestination merge and Describe', () => {
  it('merges nested structures, replaces lists and scalars', () => {
    expect(mergeConfig({ A: { x: 1, y: 2 }, L: [1, 2], S: 'a' }, { A: { y: 3 }, L: [3], S: 'b', U: undefined })).toEqual({
      A: { x: 1, y: 3 },
      L: [3],
      S: 'b',
    });
  });

  it('describes without secrets', () => {
    const stream: DeliveryStream = {
      id: 'id',
      name: 'n',
      arn: 'arn',
      type: 'DirectPut',
      status: 'ACTIVE',
      versionId: 1,
      destination: {
        kind: 'HttpEndpoint',
        config: {
          EndpointConfiguration: { Url: 'https://x', AccessKey: 'k3y' },
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 0 },
          RequestConfiguration: { ContentEncoding: 'NONE' },
          RetryOptions: { DurationInSeconds: 0 },
          S3BackupMode: 'FailedDataOnly',
          S3Configuration: {
            ...s3,
            BufferingHints: { SizeInMBs: 5, IntervalInSeconds: 300 },
            CompressionFormat: 'UNCOMPRESSED',
            EncryptionConfiguration: { NoEncryptionConfig: 'NoEncryption' },
          },
        },
      },
      encryption: { status: 'DISABLED' },
      createdAt: new Date(0),
      updatedAt: new Date(0),
    };
    expect(JSON.stringify(describeOutput(stream))).not.toContain('k3y');
  });
});
