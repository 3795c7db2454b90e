import { ROOT_CONTEXT, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, type TelemetryHandle } from './sdk';
import { withSpan } from './tracer';

describe('withSpan', () => {
  const exporter = new InMemorySpanExporter();
  let telemetry: TelemetryHandle;

  beforeAll(() => {
    telemetry = startTelemetry({ serviceName: 'telemetry-spec', exporter });
  });
  afterEach(() => exporter.reset());
  afterAll(() => telemetry.shutdown());

  async function finished(): Promise<ReadableSpan[]> {
    await telemetry.forceFlush();
    return exporter.getFinishedSpans();
  }

  it('nests spans: the inner span is a child of the outer one, in the same trace', async () => {
    const result = await withSpan('PutRecords', { 'shardline.stream': 's1' }, async () =>
      withSpan('publishBatch', { 'shardline.shard': 'shardId-000000000000' }, async () => 42),
    );

    expect(result).toBe(42);
    const spans = await finished();
    const outer = spans.find((s) => s.name === 'PutRecords');
    const inner = spans.find((s) => s.name === 'publishBatch');
    expect(outer?.parentSpanContext).toBeUndefined();
    expect(inner?.spanContext().traceId).toBe(outer?.spanContext().traceId);
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    expect(outer?.attributes).toEqual({ 'shardline.stream': 's1' });
    expect(outer?.resource.attributes['service.name']).toBe('telemetry-spec');
  });

  it('makes its span the active one while fn runs, and ends it afterwards', async () => {
    let inside: string | undefined;
    await withSpan('op', {}, async (span) => {
      inside = trace.getActiveSpan()?.spanContext().spanId;
      expect(inside).toBe(span.spanContext().spanId);
    });

    expect(trace.getActiveSpan()).toBeUndefined();
    const [span] = await finished();
    expect(span?.spanContext().spanId).toBe(inside);
    expect(span?.ended).toBe(true);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a thrown error as an exception event with ERROR status, and rethrows it', async () => {
    const failure = new Error('shard closed');

    await expect(
      withSpan('publishBatch', {}, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);

    const [span] = await finished();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'shard closed' });
    const event = span?.events.find((e) => e.name === 'exception');
    expect(event?.attributes?.['exception.message']).toBe('shard closed');
    expect(event?.attributes?.['exception.type']).toBe('Error');
    expect(span?.ended).toBe(true);
  });

  it('parents the span on an explicit context when given one', async () => {
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceFlags: 1,
      isRemote: true,
    });

    await withSpan('append', {}, async () => undefined, { parent: remote });

    const [span] = await finished();
    expect(span?.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });
});
