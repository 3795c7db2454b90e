import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { connect, createInbox, headers, type NatsConnection } from 'nats';
import { extractTraceContext, injectTraceContext } from './nats-propagation';
import { startTelemetry, type TelemetryHandle } from './sdk';
import { withSpan } from './tracer';

describe('trace context through a real NATS server', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: TelemetryHandle;
  let nc: NatsConnection;

  beforeAll(async () => {
    telemetry = startTelemetry({ serviceName: 'propagation-int-spec', exporter });
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  });
  afterAll(async () => {
    await nc.drain();
    await telemetry.shutdown();
  });

  it('parents the responder span on the requester span, across a NATS request', async () => {
    const subject = createInbox('sl.telemetry-spec');
    const sub = nc.subscribe(subject, {
      callback: (_err, msg) => {
        const parent = extractTraceContext(msg.headers);
        void withSpan('append', {}, async () => msg.respond(), { parent });
      },
    });
    await nc.flush();

    const requester = await withSpan('publishBatch', {}, async (span) => {
      const h = headers();
      injectTraceContext(h);
      await nc.request(subject, new Uint8Array(0), { headers: h, timeout: 5000 });
      return span.spanContext();
    });
    sub.unsubscribe();

    await telemetry.forceFlush();
    const responder = exporter.getFinishedSpans().find((s) => s.name === 'append');
    expect(responder?.spanContext().traceId).toBe(requester.traceId);
    expect(responder?.parentSpanContext?.spanId).toBe(requester.spanId);
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
