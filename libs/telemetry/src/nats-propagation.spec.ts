import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { headers, MsgHdrsImpl, type MsgHdrs } from 'nats';
import { extractTraceContext, injectTraceContext } from './nats-propagation';
import { startTelemetry, type TelemetryHandle } from './sdk';
import { withSpan } from './tracer';

/** What the receiving process sees: the headers as encoded on the wire and decoded. */
function overTheWire(sent: MsgHdrs): MsgHdrs {
  return MsgHdrsImpl.decode((sent as MsgHdrsImpl).encode());
}

describe('trace context in NATS headers', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: TelemetryHandle;

  beforeAll(() => {
    telemetry = startTelemetry({ serviceName: 'propagation-spec', exporter });
  });
  afterEach(() => exporter.reset());
  afterAll(() => telemetry.shutdown());

  it('continues the publisher span on the receiving side: same trace, publisher as parent', async () => {
    const sent = headers();
    const publisher = await withSpan('publishBatch', {}, async (span) => {
      injectTraceContext(sent);
      return span.spanContext();
    });

    const received = overTheWire(sent);
    await withSpan('append', {}, async () => undefined, { parent: extractTraceContext(received) });

    await telemetry.forceFlush();
    const consumer = exporter.getFinishedSpans().find((s) => s.name === 'append');
    expect(received.get('traceparent')).toBe(`00-${publisher.traceId}-${publisher.spanId}-01`);
    expect(consumer?.spanContext().traceId).toBe(publisher.traceId);
    expect(consumer?.parentSpanContext?.spanId).toBe(publisher.spanId);
    expect(consumer?.parentSpanContext?.isRemote).toBe(true);
  });

  it('extracts a remote span context that trace.getSpanContext can read', () => {
    const sent = headers();
    sent.set('traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01');

    const remote = trace.getSpanContext(extractTraceContext(overTheWire(sent)));

    expect(remote).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });
  });

  it('injects nothing outside a span, and extracts the root context from no or empty headers', () => {
    const sent = headers();
    injectTraceContext(sent);

    expect(sent.has('traceparent')).toBe(false);
    expect(extractTraceContext(undefined)).toBe(ROOT_CONTEXT);
    expect(trace.getSpanContext(extractTraceContext(sent))).toBeUndefined();
  });
});
