/**
 * Traces end to end, asserted on the spans an in-memory exporter collects in this process:
 * a PutRecords from the gateway over NATS to the shard actor of another platform (a
 * `shards` role) and into JetStream is one tree; a delivered Firehose batch links to the
 * traces of the puts whose records it holds (direct put and a Kinesis-stream source); an
 * analytics application's input and output spans link to the input records' traces, and the
 * records it writes to a stream carry its output span's trace.
 */
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { DescribeStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { AnalyticsRuntime } from '@shardline/analytics';
import { GatewayModule, serveHttp } from '@shardline/gateway';
import { shardActorSubject, shardRecordSubject, shardStreamName } from '@shardline/messaging';
import { Platform, readConfig, type PlatformConfig } from '@shardline/streams';
import { startTelemetry, type TelemetryHandle } from '@shardline/telemetry';
import { removeShardStorage } from '../support/cleanup';
import { dropDatabase, scratchDatabaseUrl } from '../support/database';
import { eventually } from '../support/firehose';
import { createActiveStream } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { createActive, rest } from '../support/rest';
import { putJson, startTestAnalytics, waitApplication } from '../support/analytics';
import { createFromStream, ROLE_ARN, useFirehoseTestbed, waitStatus } from '../firehose/support';

const SHARD = 'shardId-000000000000';
const exporter = new InMemorySpanExporter();
let telemetry: TelemetryHandle;

beforeAll(() => {
  telemetry = startTelemetry({ serviceName: 'shardline-tracing-test', exporter });
});
afterAll(() => telemetry.shutdown());

/** The finished spans once `pick` finds what it wants among them (spans are exported in batches). */
async function spansUntil<T>(pick: (spans: ReadableSpan[]) => T | undefined, timeoutMs = 20_000): Promise<T> {
  return eventually(async () => {
    await telemetry.forceFlush();
    return pick(exporter.getFinishedSpans()) ?? false;
  }, timeoutMs);
}

const has = (span: ReadableSpan, attributes: Attributes) => Object.entries(attributes).every(([k, v]) => span.attributes[k] === v);
const traceOf = (span: ReadableSpan) => span.spanContext().traceId;
const idOf = (span: ReadableSpan) => span.spanContext().spanId;

describe('a PutRecords through the gateway to a shard actor in another process', () => {
  let config: PlatformConfig;
  let gateway: Platform;
  let shards: Platform;
  let server: { port: number; close(): Promise<void> };
  let kinesis: KinesisClient;

  beforeAll(async () => {
    const defaults = readConfig();
    config = {
      ...defaults,
      databaseUrl: scratchDatabaseUrl(randomName('sl_trace')),
      createDelayMs: 100,
      deleteDelayMs: 100,
      leaseTickMs: 250,
      natsApiPrefix: randomName('sl'),
      shardLimits: { ...defaults.shardLimits, enabled: false },
    };
    // Two platforms as two apps would be: the gateway has no actors, so every append goes over NATS.
    shards = await Platform.open(config, { gateway: false, shards: true });
    gateway = await Platform.open(config, { gateway: true, shards: false });
    server = await serveHttp(GatewayModule.forPlatform(gateway), 0, '127.0.0.1');
    kinesis = kinesisClient(`http://127.0.0.1:${server.port}`, 'h2c');
  }, 60_000);
  afterAll(async () => {
    kinesis.destroy();
    await server.close();
    await gateway.close();
    await shards.close();
    await removeShardStorage(config.databaseUrl);
    await dropDatabase(config.databaseUrl);
  });

  it('is one trace: gateway server span → NATS request → remote actor → its round → JetStream publish', async () => {
    const StreamName = randomName('traced');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const streamId = (await gateway.repository.findByName(StreamName))!.id;
    await eventually(async () => !!shards.local.get({ streamId, shardIndex: 0 }));
    expect(gateway.local.get({ streamId, shardIndex: 0 })).toBeUndefined();

    const Records = [0, 1, 2].map((i) => ({ PartitionKey: 'same-key', Data: Buffer.from(`r${i}`) }));
    expect((await kinesis.send(new PutRecordsCommand({ StreamName, Records }))).FailedRecordCount).toBe(0);

    const tree = await spansUntil((spans) => {
      const root = spans.find((s) => s.name === 'kinesis.putRecords' && s.attributes['shardline.stream'] === StreamName);
      if (!root) return undefined;
      const trace = spans.filter((s) => traceOf(s) === traceOf(root));
      const child = (parent: ReadableSpan | undefined, name: string) => parent && trace.find((s) => s.name === name && s.parentSpanContext?.spanId === idOf(parent));
      const request = child(root, 'shard.request');
      const remote = child(request, 'shard.remoteAppend');
      const round = child(remote, 'shard.append');
      const publish = child(round, 'jetstream.publish');
      return publish && { root, request: request!, remote: remote!, round: round!, publish, trace };
    });

    const { root, request, remote, round, publish } = tree;
    expect(root.parentSpanContext).toBeUndefined();
    expect(root.kind).toBe(SpanKind.SERVER);
    expect(has(root, { 'shardline.stream': StreamName, 'shardline.records': 3 })).toBe(true);

    expect(request.kind).toBe(SpanKind.CLIENT);
    expect(has(request, { 'messaging.system': 'nats', 'messaging.destination.name': shardActorSubject(streamId, 0), 'shardline.shard_id': SHARD })).toBe(true);

    // The remote side continues the trace from the traceparent in the request's NATS headers.
    expect(remote.kind).toBe(SpanKind.SERVER);
    expect(remote.parentSpanContext?.isRemote).toBe(true);
    expect(has(remote, { 'shardline.shard_id': SHARD, 'shardline.messages': 1 })).toBe(true);

    expect(round.kind).toBe(SpanKind.INTERNAL);
    expect(has(round, { 'shardline.shard_id': SHARD, 'shardline.requests': 1, 'shardline.records': 3 })).toBe(true);
    expect(round.links.map((l) => l.context.spanId)).toEqual([idOf(remote)]);

    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(has(publish, { 'messaging.system': 'nats', 'messaging.destination.name': shardRecordSubject(streamId, 0), 'messaging.batch.message_count': 1 })).toBe(true);

    for (const span of [request, remote, round, publish]) expect(traceOf(span)).toBe(traceOf(root));
    expect(root.status.code).not.toBe(SpanStatusCode.ERROR);

    // The stored message keeps the producer's trace context.
    const js = gateway.nc.jetstream();
    const stored = await (await js.consumers.get(shardStreamName(streamId, 0))).next();
    expect(stored?.headers?.get('traceparent')).toMatch(new RegExp(`^00-${traceOf(root)}-${idOf(remote)}-0[01]$`));
  }, 60_000);
});

describe('Firehose delivery spans link to the traces of the records they deliver', () => {
  const bed = useFirehoseTestbed({ kinesis: 'h2c' });

  /** The object keys delivered to `bucket` so far. */
  const objects = (bucket: string) => bed.fh.runtime.objects.list(bucket).catch(() => [] as string[]);

  /** The delivery span of the first batch of the delivery stream with `id`, once it ended. */
  const deliverySpan = (id: string) =>
    spansUntil((spans) => spans.find((s) => s.name === 'firehose.deliver' && s.attributes['shardline.delivery_stream_id'] === id));

  const deliveryStreamId = async (name: string) =>
    (await bed.sl.platform.dataSource.query<Array<{ id: string }>>('SELECT id FROM delivery_streams WHERE name = $1', [name]))[0]!.id;

  it('direct put: PutRecordBatch in two traces, one delivered object, a span linking to both', async () => {
    const name = randomName('fh-trace');
    const bucket = randomName('trace').toLowerCase();
    await bed.firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        DeliveryStreamType: 'DirectPut',
        ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: `arn:aws:s3:::${bucket}`, BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 } },
      }),
    );
    await waitStatus(bed.firehose, name);
    for (const batch of ['a', 'b']) {
      const Records = [1, 2].map((i) => ({ Data: Buffer.from(`${batch}${i}\n`) }));
      expect((await bed.firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records }))).FailedPutCount).toBe(0);
    }
    const puts = await spansUntil((spans) => {
      const found = spans.filter((s) => s.name === 'firehose.putRecordBatch' && s.attributes['shardline.delivery_stream'] === name);
      return found.length === 2 ? found : undefined;
    });
    expect(puts.map((p) => p.kind)).toEqual([SpanKind.SERVER, SpanKind.SERVER]);
    expect(new Set(puts.map(traceOf)).size).toBe(2);

    // Both puts wait in the buffer; the interval passes on the delivery clock and one object holds them.
    await eventually(async () => {
      bed.fh.advanceClock(60_000);
      return (await objects(bucket)).length > 0;
    });
    expect(await objects(bucket)).toHaveLength(1);
    const delivery = await deliverySpan(await deliveryStreamId(name));
    expect(delivery.kind).toBe(SpanKind.CONSUMER);
    expect(delivery.parentSpanContext).toBeUndefined();
    expect(has(delivery, { 'shardline.records': 4, 'shardline.traces': 2 })).toBe(true);
    expect(delivery.links.map((l) => l.context.traceId).sort()).toEqual(puts.map(traceOf).sort());
    expect(delivery.links.map((l) => l.context.spanId).sort()).toEqual(puts.map(idOf).sort());
  }, 60_000);

  it('Kinesis stream as source: the delivery span links to the PutRecords traces of the shard records', async () => {
    const StreamName = randomName('fh-src-trace');
    await createActiveStream(bed.kinesis, { StreamName, ShardCount: 1 });
    const { StreamDescription } = await bed.kinesis.send(new DescribeStreamCommand({ StreamName }));
    const name = randomName('fh-src-trace');
    const bucket = randomName('srctrace').toLowerCase();
    await createFromStream(bed.firehose, name, StreamDescription!.StreamARN!, bucket, { SizeInMBs: 64, IntervalInSeconds: 60 });
    for (const batch of ['a', 'b']) {
      const Records = [1, 2].map((i) => ({ PartitionKey: 'k', Data: Buffer.from(`${batch}${i}\n`) }));
      expect((await bed.kinesis.send(new PutRecordsCommand({ StreamName, Records }))).FailedRecordCount).toBe(0);
    }
    const puts = await spansUntil((spans) => {
      const found = spans.filter((s) => s.name === 'kinesis.putRecords' && s.attributes['shardline.stream'] === StreamName);
      return found.length === 2 ? found : undefined;
    });
    await eventually(async () => {
      bed.fh.advanceClock(60_000);
      return (await objects(bucket)).length > 0;
    });
    const delivery = await deliverySpan(await deliveryStreamId(name));
    expect(has(delivery, { 'shardline.source': SHARD, 'shardline.records': 4 })).toBe(true);
    expect(delivery.links.map((l) => l.context.traceId).sort()).toEqual(puts.map(traceOf).sort());
  }, 60_000);
});

describe('analytics spans follow the input records’ traces, and output records carry the output’s trace', () => {
  let sl: TestPlatform;
  let analytics: AnalyticsRuntime;

  beforeAll(async () => {
    sl = await startTestPlatform();
    analytics = await startTestAnalytics(sl);
  }, 60_000);
  afterAll(async () => {
    await analytics.close();
    await sl.close();
  });

  it('links input and output spans to the producers’ traces; the output stream’s records hold the output span’s trace', async () => {
    const input = randomName('an-trace-in');
    const output = randomName('an-trace-out');
    await createActive(sl.endpoint, { name: input, shardCount: 1 });
    await createActive(sl.endpoint, { name: output, shardCount: 1 });
    const name = randomName('traced-app');
    const created = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: { streamName: input, format: 'JSON', columns: [{ name: 'DEVICE', type: 'VARCHAR(16)', path: '$.device' }] },
      sql: `CREATE STREAM "OUT" (device VARCHAR(16));
            CREATE PUMP "P" AS INSERT INTO "OUT" SELECT STREAM device FROM SOURCE_SQL_STREAM_001;`,
      outputs: [{ kind: 'stream', inAppStream: 'OUT', streamName: output }],
    });
    expect(created.status).toBe(201);
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'NOW' });
    await waitApplication(sl.endpoint, name, 'RUNNING');

    // Two puts, two traces.
    await putJson(sl.endpoint, input, [{ key: 'a', data: { device: 'a1' } }, { key: 'a', data: { device: 'a2' } }]);
    await putJson(sl.endpoint, input, [{ key: 'b', data: { device: 'b1' } }]);
    const puts = await spansUntil((spans) => {
      const found = spans.filter((s) => s.name === 'kinesis.putRecords' && s.attributes['shardline.stream'] === input);
      return found.length === 2 ? found : undefined;
    });
    const putTraces = puts.map(traceOf).sort();
    expect(new Set(putTraces).size).toBe(2);

    const { inputs, outputs } = await spansUntil((spans) => {
      const ofApp = spans.filter((s) => s.attributes['shardline.application'] === name);
      const inputs = ofApp.filter((s) => s.name === 'analytics.input');
      const outputs = ofApp.filter((s) => s.name === 'analytics.output');
      const rows = outputs.reduce((sum, s) => sum + Number(s.attributes['shardline.rows']), 0);
      return inputs.length === 2 && rows === 3 ? { inputs, outputs } : undefined;
    });
    // One input span per message read (not per record), each linked to its producer's trace.
    expect(inputs.map((s) => s.kind)).toEqual([SpanKind.CONSUMER, SpanKind.CONSUMER]);
    expect(inputs.map((s) => s.attributes['shardline.records']).sort()).toEqual([1, 2]);
    expect(inputs.flatMap((s) => s.links.map((l) => l.context.traceId)).sort()).toEqual(putTraces);
    // The output writes follow from the inputs read before them: together they link to both puts.
    for (const span of outputs) {
      expect(span.kind).toBe(SpanKind.PRODUCER);
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.links.length).toBeGreaterThan(0);
    }
    expect([...new Set(outputs.flatMap((s) => s.links.map((l) => l.context.traceId)))].sort()).toEqual(putTraces);

    // The output stream's put is a child of an output span, and its stored records keep that trace.
    const outputTraces = new Set(outputs.map(traceOf));
    const outputPut = await spansUntil((spans) => spans.find((s) => s.name === 'kinesis.putRecords' && s.attributes['shardline.stream'] === output));
    expect(outputPut.kind).toBe(SpanKind.INTERNAL);
    expect(outputs.map(idOf)).toContain(outputPut.parentSpanContext?.spanId);
    const streamId = (await sl.platform.repository.findByName(output))!.id;
    const stored = await (await sl.platform.nc.jetstream().consumers.get(shardStreamName(streamId, 0))).next();
    const traceparent = stored?.headers?.get('traceparent') ?? '';
    expect(outputTraces.has(traceparent.slice(3, 35))).toBe(true);
  }, 60_000);
});
