import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTelemetry } from './sdk';
import { withSpan } from './tracer';

describe('startTelemetry', () => {
  it('is idempotent per process: a second call returns the running handle', async () => {
    const first = startTelemetry({ serviceName: 'first', exporter: new InMemorySpanExporter() });
    const second = startTelemetry({ serviceName: 'second' });

    expect(second).toBe(first);
    await first.shutdown();
  });

  it('creates real spans without any exporter, so trace context still propagates', async () => {
    const saved = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    delete process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
    const telemetry = startTelemetry({ serviceName: 'no-exporter' });
    try {
      const traceId = await withSpan('op', {}, async () => trace.getActiveSpan()?.spanContext().traceId);

      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(traceId).not.toBe('00000000000000000000000000000000');
    } finally {
      await telemetry.shutdown();
      if (saved !== undefined) process.env.OTEL_EXPORTER_OTLP_ENDPOINT = saved;
    }
  });

  it('can start again after shutdown, with the new options', async () => {
    const exporter = new InMemorySpanExporter();
    const telemetry = startTelemetry({ serviceName: 'restarted', exporter });
    await withSpan('op', {}, async () => undefined);
    await telemetry.forceFlush();
    const names = exporter.getFinishedSpans().map((s) => s.resource.attributes['service.name']);
    await telemetry.shutdown();

    expect(names).toEqual(['restarted']);
  });
});
