import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { encodeRecordBatches, messageLimit, RequestMux } from '@shardline/messaging';
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

  it('parents shard.remoteAppend on the caller and links the actor round to it', async () => {
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
    const remote = spans.find((s) => s.name === 'shard.remoteAppend')!;
    const round = spans.find((s) => s.name === 'shard.append')!;
    expect(remote.spanContext().traceId).toBe(caller.spanContext().traceId);
    expect(remote.parentSpanContext?.spanId).toBe(caller.spanContext().spanId);
    expect(round.links.map((l) => l.context.spanId)).toContain(remote.spanContext().spanId);
  });
});
