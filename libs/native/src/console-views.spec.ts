import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryObjectStore } from '@shardline/firehose';
import { notFound, type DeliveryStream } from '@shardline/protocol';
import { deliveryStreamStatus, listDeliveryStreams } from './delivery-operations';
import { streamMetrics } from './metrics-operations';
import type { MetricSample, NativeDelivery, NativeServices } from './operation';

/** Services with only what the console's views read; the rest is never called. */
function services(parts: { metrics?: MetricSample[]; delivery?: NativeDelivery; streams?: string[] }): NativeServices {
  return {
    activeStream: async (name: string) => {
      if (!(parts.streams ?? []).includes(name)) throw notFound(`Stream ${name} not found`);
      return { name } as never;
    },
    now: () => Date.parse('2026-01-01T00:00:00Z'),
    ...(parts.metrics ? { metrics: async () => parts.metrics! } : {}),
    ...(parts.delivery ? { delivery: parts.delivery } : {}),
  } as unknown as NativeServices;
}

const run = (op: typeof streamMetrics, s: NativeServices, params: object) => op.execute(s, { params, query: {}, body: undefined });

describe("a stream's metrics (GET /v1/streams/{name}/metrics)", () => {
  const sample = (name: string, labels: Record<string, string>, value: number): MetricSample => ({ name, labels, value });

  it('sums the shard series of the stream, adds GetRecords and SubscribeToShard records, and takes the largest iterator age', async () => {
    const metrics = [
      sample('kinesis_incoming_records_total', { stream: 'a', shard: 'shardId-000000000000' }, 10),
      sample('kinesis_incoming_records_total', { stream: 'a', shard: 'shardId-000000000001' }, 5),
      sample('kinesis_incoming_records_total', { stream: 'other' }, 99),
      sample('kinesis_incoming_bytes_total', { stream: 'a' }, 1500),
      sample('kinesis_get_records_records_total', { stream: 'a' }, 7),
      sample('kinesis_subscribe_to_shard_event_records_total', { stream: 'a', consumer: 'c' }, 3),
      sample('kinesis_get_records_iterator_age_milliseconds', { stream: 'a', shard: 'shardId-000000000000' }, 40),
      sample('kinesis_get_records_iterator_age_milliseconds', { stream: 'a', shard: 'shardId-000000000001' }, 900),
      sample('kinesis_write_provisioned_throughput_exceeded_total', { stream: 'a' }, 2),
    ];
    expect(await run(streamMetrics, services({ metrics, streams: ['a'] }), { name: 'a' })).toEqual({
      stream: 'a',
      sampledAt: '2026-01-01T00:00:00.000Z',
      incomingRecords: 15,
      incomingBytes: 1500,
      outgoingRecords: 10,
      iteratorAgeMillis: 900,
      writeThrottled: 2,
      readThrottled: 0,
    });
  });

  it('is 404 for a stream that does not exist and 503 where metrics are not offered', async () => {
    await expect(run(streamMetrics, services({ metrics: [], streams: [] }), { name: 'nope' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(run(streamMetrics, services({ streams: ['a'] }), { name: 'a' })).rejects.toThrow('Metrics are not available');
  });
});

describe("a delivery stream's status (GET /v1/delivery-streams/{name})", () => {
  let root: string;
  let store: DirectoryObjectStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'console-views-'));
    store = new DirectoryObjectStore(root);
    const put = (bucket: string, key: string, body = 'x') => store.put({ bucket, key, body: Buffer.from(body) });
    await put('b', 'logs/region=eu/a.gz');
    await put('b', 'logs/region=us/b.gz');
    await put('b', 'errs/processing-failed/c', '{"errorCode":"Lambda.FunctionError"}');
    await put('b', 'someone-else/d.gz');
    await put('h', 'http-endpoint-failed/e', '{"errorCode":"HttpEndpoint.ResponseCode"}');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const stream = (destination: DeliveryStream['destination']): DeliveryStream =>
    ({
      id: 'id-1',
      name: 'ds',
      arn: 'arn:aws:firehose:us-east-1:000000000000:deliverystream/ds',
      type: 'DirectPut',
      status: 'ACTIVE',
      versionId: 3,
      destination,
      encryption: { status: 'DISABLED' },
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    }) as DeliveryStream;

  const delivery = (ds: DeliveryStream): NativeDelivery => ({
    streams: { describe: async () => ds, list: async () => ({ names: [ds.name], hasMore: false }) },
    progress: async () => [{ source: '', committedSeq: 4, pending: { fromSeq: 5, toSeq: 6 } }],
    lastStored: async (_stream, source) => (source === '' ? 9 : undefined),
    objects: store,
  });

  it('lists objects under the literal start of Prefix and ErrorOutputPrefix and tells error output apart', async () => {
    const ds = stream({
      kind: 'ExtendedS3',
      config: { BucketARN: 'arn:aws:s3:::b', Prefix: 'logs/region=!{partitionKeyFromQuery:region}/', ErrorOutputPrefix: 'errs/!{firehose:error-output-type}/' },
    } as never);
    const metrics = [
      { name: 'firehose_incoming_records_total', labels: { delivery_stream: 'ds' }, value: 3 },
      { name: 'firehose_incoming_records_total', labels: { delivery_stream: 'other' }, value: 9 },
    ];
    const answer = await run(deliveryStreamStatus, services({ delivery: delivery(ds), metrics }), { name: 'ds' });
    expect(answer).toEqual(
      expect.objectContaining({
        name: 'ds',
        versionId: 3,
        createdAt: '2026-01-01T00:00:00.000Z',
        bucket: 'b',
        progress: [{ source: '', committedSeq: 4, pending: { fromSeq: 5, toSeq: 6 }, storedSeq: 9 }],
        metrics: { firehose_incoming_records_total: 3 },
        objects: ['logs/region=eu/a.gz', 'logs/region=us/b.gz'],
        errorObjects: ['errs/processing-failed/c'],
        lastError: '{"errorCode":"Lambda.FunctionError"}',
      }),
    );
  });

  it("reads an HTTP endpoint's backup bucket, and leaves a Redshift password out of the configuration", async () => {
    const http = stream({ kind: 'HttpEndpoint', config: { S3Configuration: { BucketARN: 'arn:aws:s3:::h' } } } as never);
    expect(await run(deliveryStreamStatus, services({ delivery: delivery(http) }), { name: 'ds' })).toEqual(
      expect.objectContaining({ bucket: 'h', objects: [], errorObjects: ['http-endpoint-failed/e'], metrics: {} }),
    );
    const redshift = stream({ kind: 'Redshift', config: { Username: 'u', Password: 'secret', S3Configuration: { BucketARN: 'arn:aws:s3:::none' } } } as never);
    const answer = (await run(deliveryStreamStatus, services({ delivery: delivery(redshift) }), { name: 'ds' })) as { destination: { config: object } };
    expect(answer.destination.config).toEqual({ Username: 'u', S3Configuration: { BucketARN: 'arn:aws:s3:::none' } });
  });

  it('lists delivery streams, and is 503 where delivery streams are not offered', async () => {
    const ds = stream({ kind: 'ExtendedS3', config: { BucketARN: 'arn:aws:s3:::b' } } as never);
    expect(await run(listDeliveryStreams, services({ delivery: delivery(ds) }), {})).toEqual({
      deliveryStreams: [{ name: 'ds', type: 'DirectPut', status: 'ACTIVE', destination: 'ExtendedS3' }],
    });
    await expect(run(listDeliveryStreams, services({}), {})).rejects.toThrow('Delivery streams are not available');
  });
});
