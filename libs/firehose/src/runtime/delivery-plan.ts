/**
 * Builds a delivery stream's runtime (sources, target, buffering hints) from its stored
 * configuration, in AWS's own shape: ExtendedS3 (the directory or an S3-compatible store),
 * HttpEndpoint or Redshift (Postgres), each with its processors and transform.
 */
import type { JetStreamClient, JetStreamManager } from 'nats';
import type { DeliveryProgressRepository } from '@shardline/metadata';
import { shardStreamName, type DataKeyResolver } from '@shardline/messaging';
import type { DeliveryStream, ProcessingConfiguration, S3Configuration, Stream } from '@shardline/protocol';
import type { ObjectStore } from '../model';
import {
  bucketFromArn,
  DirectoryObjectStore,
  httpEndpointDeliveryFrom,
  postgresCopyDeliveryFrom,
  REDSHIFT_RETRY_DURATION,
  S3ObjectStore,
  systemClock,
} from '../destinations';
import { compileProcessing } from '../processing/compile-processing';
import { resolvePrefixes } from '../partitioning/prefixes';
import type { TransformHost } from '../plugins';
import type { DeliveryPlan } from '../pipeline/firehose-service';
import { DirectPutSource } from '../pipeline/direct-put-source';
import { StreamShardSource } from '../pipeline/stream-shard-source';
import type { RecordSource } from '../pipeline/ordered-source';
import { ObjectTarget } from '../pipeline/targets/object-target';
import { HttpEndpointTarget } from '../pipeline/targets/http-endpoint-target';
import { RedshiftTarget } from '../pipeline/targets/redshift-target';
import type { BackupBucket } from '../pipeline/targets/backup';
import type { DeliveryMetrics } from '../pipeline/targets/delivery-metrics';
import type { BatchProcessing } from '../pipeline/targets/process-batch';
import type { FirehoseConfig } from './firehose-config';

const MIB = 1024 * 1024;

export interface PlanContext {
  config: FirehoseConfig;
  js: JetStreamClient;
  jsm: JetStreamManager;
  progress: DeliveryProgressRepository;
  transforms: TransformHost;
  metrics: DeliveryMetrics;
  /** The object store every bucket lives in (an S3-compatible server, or the data directory). */
  objects: ObjectStore;
  /** The Shardline stream a KinesisStreamAsSource delivery stream reads, with its shards. */
  stream?: Stream;
  /** Opens the records of an encrypted source stream. */
  keys?: DataKeyResolver;
  /** The last sequence of a direct-put delivery stream its other readers (analytics) are done with. */
  readersDone?: (deliveryStreamId: string) => Promise<number | undefined>;
  now(): number;
}

/** The object store of the configuration: S3 when an endpoint is set, else directories under the data dir. */
export function objectStoreOf(config: FirehoseConfig): ObjectStore {
  return config.s3 ? new S3ObjectStore(config.s3) : new DirectoryObjectStore(`${config.dataDir}/buckets`);
}

export async function planDelivery(stream: DeliveryStream, ctx: PlanContext): Promise<DeliveryPlan> {
  const sources = sourcesOf(stream, ctx);
  const destination = stream.destination;
  switch (destination.kind) {
    case 'ExtendedS3': {
      const c = destination.config;
      const dynamic = c.DynamicPartitioningConfiguration?.Enabled ?? false;
      const conversion = c.DataFormatConversionConfiguration;
      const target = new ObjectTarget({
        store: ctx.objects,
        bucket: bucketFromArn(c.BucketARN),
        deliveryStreamName: stream.name,
        deliveryStreamVersion: stream.versionId,
        prefixes: resolvePrefixes(c.Prefix, c.ErrorOutputPrefix, dynamic),
        compression: c.CompressionFormat ?? 'UNCOMPRESSED',
        ...(conversion?.Enabled
          ? {
              conversion: {
                columns: conversion.SchemaConfiguration?.Columns ?? [],
                compression: conversion.OutputFormatConfiguration?.Serializer?.ParquetSerDe?.Compression ?? 'SNAPPY',
                table: { databaseName: conversion.SchemaConfiguration?.DatabaseName, tableName: conversion.SchemaConfiguration?.TableName },
              },
            }
          : {}),
        processing: await processingOf(c.ProcessingConfiguration, stream, ctx),
        metrics: ctx.metrics,
        now: ctx.now,
      });
      return { sources, target, hints: hintsOf(c.BufferingHints), close: async () => undefined };
    }
    case 'HttpEndpoint': {
      const c = destination.config;
      const target = new HttpEndpointTarget({
        deliveryStreamId: stream.id,
        delivery: httpEndpointDeliveryFrom(c, { sourceArn: stream.arn }),
        backup: backupOf(c.S3Configuration, c.S3BackupMode === 'AllData', stream, ctx),
        processing: await processingOf(c.ProcessingConfiguration, stream, ctx),
        metrics: ctx.metrics,
        now: ctx.now,
      });
      return { sources, target, hints: hintsOf(c.BufferingHints), close: async () => undefined };
    }
    case 'Redshift': {
      const c = destination.config;
      const delivery = postgresCopyDeliveryFrom(c, { deliveryStream: stream.name });
      const target = new RedshiftTarget({
        deliveryStreamId: stream.id,
        delivery,
        backup: backupOf(c.S3Configuration, c.S3BackupMode === 'Enabled', stream, ctx),
        processing: await processingOf(c.ProcessingConfiguration, stream, ctx),
        retryDurationMs: (c.RetryOptions?.DurationInSeconds ?? REDSHIFT_RETRY_DURATION.default) * 1000,
        clock: systemClock,
        metrics: ctx.metrics,
      });
      return { sources, target, hints: hintsOf(c.S3Configuration.BufferingHints), close: () => delivery.close() };
    }
  }
}

function hintsOf(hints: { SizeInMBs?: number; IntervalInSeconds?: number } | undefined): { sizeBytes: number; intervalMs: number } {
  return { sizeBytes: (hints?.SizeInMBs ?? 5) * MIB, intervalMs: (hints?.IntervalInSeconds ?? 300) * 1000 };
}

function backupOf(s3: S3Configuration, allData: boolean, stream: DeliveryStream, ctx: PlanContext): BackupBucket {
  return {
    store: ctx.objects,
    bucket: bucketFromArn(s3.BucketARN),
    prefixes: resolvePrefixes(s3.Prefix, s3.ErrorOutputPrefix, false),
    compression: s3.CompressionFormat ?? 'UNCOMPRESSED',
    deliveryStreamName: stream.name,
    deliveryStreamVersion: stream.versionId,
    allData,
  };
}

async function processingOf(config: ProcessingConfiguration | undefined, stream: DeliveryStream, ctx: PlanContext): Promise<BatchProcessing> {
  if (!config?.Enabled) return { before: [], after: [] };
  const compiled = await compileProcessing(config);
  const lambda = compiled.lambda;
  if (!lambda) return { before: compiled.before, after: compiled.after };
  return {
    before: compiled.before,
    after: compiled.after,
    transform: {
      functionArn: lambda.functionArn,
      numberOfRetries: lambda.numberOfRetries,
      bufferSizeBytes: lambda.bufferSizeInMBs * MIB,
      concurrency: ctx.config.transformConcurrency,
      invoke: (records) =>
        ctx.transforms.invoke(lambda.functionArn, records, {
          deliveryStreamArn: stream.arn,
          ...(stream.source ? { sourceKinesisStreamArn: stream.source.kinesisStreamArn } : {}),
          region: ctx.config.region,
          timeoutMs: 5 * 60_000,
        }),
    },
  };
}

function sourcesOf(stream: DeliveryStream, ctx: PlanContext): RecordSource[] {
  if (stream.type === 'DirectPut') {
    const readersDone = ctx.readersDone;
    return [new DirectPutSource(ctx.js, ctx.jsm, stream.id, ctx.keys, readersDone && (() => readersDone(stream.id)))];
  }
  const source = ctx.stream;
  if (!source) throw new Error(`delivery stream ${stream.name}: its source stream is gone`);
  const byId = new Map(source.shards.map((shard) => [shard.shardId, shard]));
  return source.shards.map((shard) => {
    const parents = [shard.parentShardId, shard.adjacentParentShardId].flatMap((id) => (id && byId.has(id) ? [byId.get(id)!] : []));
    return new StreamShardSource(ctx.js, shard.shardId, source.id, shard.index, async () => {
      for (const parent of parents) {
        if (parent.status !== 'CLOSED') return false;
        const done = await ctx.progress.get(stream.id, parent.shardId);
        const last = await lastSeqOf(ctx.jsm, source.id, parent.index);
        if (done.committedSeq < last) return false;
      }
      return true;
    }, ctx.keys);
  });
}

async function lastSeqOf(jsm: JetStreamManager, streamId: string, shardIndex: number): Promise<number> {
  const info = await jsm.streams.info(shardStreamName(streamId, shardIndex));
  return info.state.last_seq;
}
