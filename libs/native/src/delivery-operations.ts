/**
 * Delivery streams seen from the console: the list, and one stream's configuration, delivery
 * progress (the committed and pending batch of each source, from Postgres), Firehose metrics of
 * this process, delivered objects and error output (listed from the destination bucket). The
 * Firehose API itself stays the AWS JSON protocol (Firehose_20150804.*); these are read-only.
 */
import { unavailable } from '@shardline/protocol';
import type { DeliveryStream } from '@shardline/protocol';
import { bucketFromArn } from '@shardline/firehose';
import { deliveryStreamList, deliveryStreamParams, deliveryStreamStatusView } from './console-schemas';
import { defineOperation, type NativeDelivery, type NativeServices } from './operation';
import { noParams, noQuery } from './schemas';

const MAX_KEYS = 200;
const MAX_ERROR_TEXT = 8 * 1024;
/** Error output object keys carry the error type, e.g. processing-failed/, format-conversion-failed/. */
const ERROR_KEY = /(^|\/)[a-z-]+-failed\//;

function deliveryOf(services: NativeServices): NativeDelivery {
  if (!services.delivery) throw unavailable('Delivery streams are not available on this server');
  return services.delivery;
}

/** Where delivered objects (ExtendedS3) or failed data (HTTP endpoint, Redshift backups) go: bucket and prefixes. */
function outputOf(stream: DeliveryStream): { bucket: string; prefixes: string[] } | undefined {
  const d = stream.destination;
  const s3 = d.kind === 'ExtendedS3' ? d.config : d.config.S3Configuration;
  try {
    // Prefixes may hold expressions (!{timestamp:yyyy}, !{partitionKeyFromQuery:k}): list under their literal start.
    const literal = (prefix: string | undefined) => (prefix ?? '').split('!{')[0]!;
    const prefixes = [literal(s3.Prefix), ...(s3.ErrorOutputPrefix ? [literal(s3.ErrorOutputPrefix)] : [])];
    return { bucket: bucketFromArn(s3.BucketARN), prefixes: prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q))) };
  } catch {
    return undefined;
  }
}

/** The destination's configuration as DescribeDeliveryStream shows it: without a password. */
function configOf(stream: DeliveryStream): Record<string, unknown> {
  const { Password: _password, ...config } = stream.destination.config as unknown as Record<string, unknown>;
  return config;
}

async function objectsOf(delivery: NativeDelivery, output: { bucket: string; prefixes: string[] } | undefined) {
  if (!delivery.objects || !output) return { objects: [], errorObjects: [] };
  const store = delivery.objects;
  const keys = [...new Set((await Promise.all(output.prefixes.map((p) => store.list(output.bucket, p)))).flat())].sort();
  const errorObjects = keys.filter((k) => ERROR_KEY.test(k));
  const objects = keys.filter((k) => !ERROR_KEY.test(k));
  const last = errorObjects.at(-1);
  const lastError = last ? (await store.get(output.bucket, last)).subarray(0, MAX_ERROR_TEXT).toString('utf8') : undefined;
  return { objects: objects.slice(-MAX_KEYS), errorObjects: errorObjects.slice(-MAX_KEYS), ...(lastError !== undefined ? { lastError } : {}) };
}

/** Each source's progress and its last stored message; a direct-put stream always shows its source. */
async function progressOf(delivery: NativeDelivery, stream: DeliveryStream) {
  const rows = await delivery.progress(stream.id);
  if (stream.type === 'DirectPut' && !rows.some((r) => r.source === '')) rows.unshift({ source: '', committedSeq: 0 });
  return Promise.all(
    rows.map(async (row) => {
      const storedSeq = await delivery.lastStored?.(stream, row.source).catch(() => undefined);
      return { ...row, ...(storedSeq !== undefined ? { storedSeq } : {}) };
    }),
  );
}

async function metricsOf(services: NativeServices, name: string): Promise<Record<string, number>> {
  const samples = (await services.metrics?.()) ?? [];
  return Object.fromEntries(samples.filter((s) => s.labels.delivery_stream === name).map((s) => [s.name, s.value]));
}

export const listDeliveryStreams = defineOperation({
  name: 'listDeliveryStreams',
  method: 'GET',
  path: '/v1/delivery-streams',
  summary: 'List delivery streams (at most 100) with their type, status and destination kind',
  params: noParams,
  query: noQuery,
  response: deliveryStreamList,
  async run(services) {
    const { streams } = deliveryOf(services);
    const page = await streams.list({ limit: 100 });
    const described = await Promise.all(page.names.map((name) => streams.describe(name).catch(() => undefined)));
    return {
      deliveryStreams: described
        .filter((d): d is DeliveryStream => d !== undefined)
        .map((d) => ({ name: d.name, type: d.type, status: d.status, destination: d.destination.kind })),
    };
  },
});

export const deliveryStreamStatus = defineOperation({
  name: 'deliveryStreamStatus',
  method: 'GET',
  path: '/v1/delivery-streams/{name}',
  summary: "A delivery stream's configuration, delivery progress, metrics, delivered objects and error output",
  params: deliveryStreamParams,
  query: noQuery,
  response: deliveryStreamStatusView,
  async run(services, { params }) {
    const delivery = deliveryOf(services);
    const stream = await delivery.streams.describe(params.name);
    const output = outputOf(stream);
    return {
      name: stream.name,
      arn: stream.arn,
      type: stream.type,
      status: stream.status,
      versionId: stream.versionId,
      createdAt: stream.createdAt.toISOString(),
      ...(stream.source ? { source: { kinesisStreamArn: stream.source.kinesisStreamArn } } : {}),
      destination: { kind: stream.destination.kind, config: configOf(stream) },
      progress: await progressOf(delivery, stream),
      metrics: await metricsOf(services, stream.name),
      ...(output ? { bucket: output.bucket } : {}),
      ...(await objectsOf(delivery, output)),
    };
  },
});
