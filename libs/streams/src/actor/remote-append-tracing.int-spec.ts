import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { encodeRecordBatches, messageLimit, RequestMux, shardStreamName } from '@shardline/messaging';
import { startTelemetry, withSpan, type TelemetryHandle } from '@shardline/telemetry';
import { ShardStoreFixture } from '../../../../test/support/shard-store';
import { serveActor } from './actor-endpoint';
import { RemoteActorRef } from './remote-actor-ref';
import { ShardActor } from './shard-actor';

/** One PutRecords is one trace: the caller's span continues in the owner process through NATS headers. */
describe('trace context on a remote append', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: TelemetryHandle;
  let fixture: ShardStoreFixture;

  beforeAll(async () => {
    telemetry = startTelemetry({ serviceName: 'remote-append-test', exporter });
    fixture = await ShardStoreFixture.open();
  });
  afterAll(async () => {
    await fixture.close();
    await telemetry.shutdown();
  });

  it('parents the NATS request on the caller, shard.remoteAppend on the request, and the actor round on both', async () => {
    const shard = await fixture.ensured();
    const actor = new ShardActor(fixture.store, shard);
    await actor.start(24);
    const subscription = serveActor(fixture.nc, actor);
    const requests = new RequestMux(fixture.nc);
    const ref = new RemoteActorRef(requests, shard, messageLimit(fixture.nc));
    const [message] = encodeRecordBatches([{ partitionKey: 'k', data: Buffer.from('v') }], messageLimit(fixture.nc));

    const { seqs } = await withSpan('caller', {}, (_span, trace) => ref.append([message.payload], trace));
    subscription.unsubscribe();
    requests.close();
    await actor.stop();
    await telemetry.forceFlush();

    expect(seqs).toEqual([1]);
    const spans = exporter.getFinishedSpans();
    const caller = spans.find((s) => s.name === 'caller')!;
    const request = spans.find((s) => s.name === 'shard.request')!;
    const remote = spans.find((s) => s.name === 'shard.remoteAppend')!;
    const round = spans.find((s) => s.name === 'shard.append')!;
    for (const span of [request, remote, round]) expect(span.spanContext().traceId).toBe(caller.spanContext().traceId);
    expect(request.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(remote.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(round.parentSpanContext?.spanId).toBe(remote.spanContext().spanId);
    expect(round.links.map((l) => l.context.spanId)).toContain(remote.spanContext().spanId);
  });

  it('makes a round serving several appends a child of the first, linked to each; every message keeps its own append’s traceparent', async () => {
    exporter.reset();
    const shard = await fixture.ensured();
    const actor = new ShardActor(fixture.store, shard);
    await actor.start(24);
    const payload = (text: string) => encodeRecordBatches([{ partitionKey: 'k', data: Buffer.from(text) }], messageLimit(fixture.nc))[0]!.payload;
    // The first append starts a round at once; the next two queue behind it and share the second round.
    const appends = ['a', 'b', 'c'].map((name) => withSpan(name, {}, (_span, trace) => actor.append([payload(name)], trace)));
    expect((await Promise.all(appends)).map((r) => r.seqs)).toEqual([[1], [2], [3]]);
    await actor.stop();
    await telemetry.forceFlush();

    const spans = exporter.getFinishedSpans();
    const caller = (name: string) => spans.find((s) => s.name === name)!.spanContext();
    const rounds = spans.filter((s) => s.name === 'shard.append');
    expect(rounds).toHaveLength(2);
    const shared = rounds.find((r) => r.attributes['shardline.requests'] === 2)!;
    expect(shared.parentSpanContext?.spanId).toBe(caller('b').spanId);
    expect(shared.links.map((l) => l.context.spanId)).toEqual([caller('b').spanId, caller('c').spanId]);
    const publish = spans.find((s) => s.name === 'jetstream.publish' && s.parentSpanContext?.spanId === shared.spanContext().spanId)!;
    expect(publish.attributes['messaging.batch.message_count']).toBe(2);

    const jsm = await fixture.nc.jetstreamManager();
    const stored = await Promise.all([1, 2, 3].map((seq) => jsm.streams.getMessage(shardStreamName(shard.streamId, shard.shardIndex), { seq })));
    expect(stored.map((m) => m.header.get('traceparent'))).toEqual(
      ['a', 'b', 'c'].map((name) => `00-${caller(name).traceId}-${caller(name).spanId}-01`),
    );
  });
});
