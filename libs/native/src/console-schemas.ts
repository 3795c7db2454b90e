/**
 * Schemas of the read-only views the web console draws (apps/console): a stream's metrics from
 * this gateway's Prometheus registry, and a delivery stream's configuration, progress,
 * metrics and objects. Like every native route, they are in the OpenAPI document.
 */
import { z } from 'zod';

const deliveryStreamName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9_.-]+$/)
  .describe('Delivery stream name (1-64 of a-z A-Z 0-9 _ . -)');

export const deliveryStreamParams = z.object({ name: deliveryStreamName });

/** Counters are totals since this gateway started: a rate is the difference of two samples over their sampledAt. */
export const streamMetricsView = z.object({
  stream: z.string(),
  sampledAt: z.iso.datetime().describe('When the registry was read'),
  incomingRecords: z.number().describe('kinesis_incoming_records_total (IncomingRecords), summed over shards'),
  incomingBytes: z.number().describe('kinesis_incoming_bytes_total (IncomingBytes)'),
  outgoingRecords: z.number().describe('kinesis_get_records_records_total + kinesis_subscribe_to_shard_event_records_total'),
  iteratorAgeMillis: z.number().describe('kinesis_get_records_iterator_age_milliseconds: the largest over shards'),
  writeThrottled: z.number().describe('kinesis_write_provisioned_throughput_exceeded_total'),
  readThrottled: z.number().describe('kinesis_read_provisioned_throughput_exceeded_total'),
});

export const deliveryStreamList = z.object({
  deliveryStreams: z.array(z.object({ name: z.string(), type: z.string(), status: z.string(), destination: z.string() })),
});

const progressView = z.object({
  source: z.string().describe("'' for direct put, else the source stream's shard id"),
  committedSeq: z.number().int().describe('Every message up to this one reached the destination'),
  pending: z.object({ fromSeq: z.number().int(), toSeq: z.number().int() }).optional().describe('A batch being delivered'),
  storedSeq: z.number().int().optional().describe('The last message stored in the source: storedSeq - committedSeq messages wait in the buffer'),
});

export const deliveryStreamStatusView = z.object({
  name: z.string(),
  arn: z.string(),
  type: z.string(),
  status: z.string(),
  versionId: z.number().int(),
  createdAt: z.iso.datetime(),
  source: z.object({ kinesisStreamArn: z.string() }).optional(),
  destination: z.object({ kind: z.string(), config: z.record(z.string(), z.unknown()) }).describe('As DescribeDeliveryStream answers it (AWS shape)'),
  progress: z.array(progressView),
  metrics: z.record(z.string(), z.number()).describe('Firehose CloudWatch metrics of this gateway process (present where the firehose role runs in it)'),
  bucket: z.string().optional().describe('The bucket objects are delivered to (or failed data backed up to)'),
  objects: z.array(z.string()).describe('Delivered object keys, newest last (at most 200)'),
  errorObjects: z.array(z.string()).describe('Error output object keys (…-failed/…), newest last (at most 200)'),
  lastError: z.string().optional().describe('The newest error output object, as text (first 8 KiB)'),
});

export type DeliveryStreamStatusView = z.output<typeof deliveryStreamStatusView>;
