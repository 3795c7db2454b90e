import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { JsonLogger, type LogLevel } from './logger';
import { startTelemetry, type TelemetryHandle } from './sdk';
import { withSpan } from './tracer';

describe('JsonLogger', () => {
  let telemetry: TelemetryHandle;
  const lines: { line: Record<string, unknown>; level: LogLevel }[] = [];
  const logger = new JsonLogger({
    service: 'logger-spec',
    write: (line, level) => lines.push({ line: JSON.parse(line) as Record<string, unknown>, level }),
    now: () => new Date('2026-01-02T03:04:05.000Z'),
  });

  beforeAll(() => {
    telemetry = startTelemetry({ serviceName: 'logger-spec', exporter: new InMemorySpanExporter() });
  });
  afterEach(() => (lines.length = 0));
  afterAll(() => telemetry.shutdown());

  it('writes one JSON object per line with time, level, service, message and fields', () => {
    logger.info('started', { pid: 42 });
    expect(lines).toEqual([
      { level: 'info', line: { time: '2026-01-02T03:04:05.000Z', level: 'info', service: 'logger-spec', msg: 'started', pid: 42 } },
    ]);
  });

  it('adds the trace and span ids of the active span', async () => {
    const ids = await withSpan('work', {}, async (span) => {
      logger.warn('slow');
      return span.spanContext();
    });
    expect(lines[0]!.line).toMatchObject({ level: 'warn', msg: 'slow', trace_id: ids.traceId, span_id: ids.spanId });
  });

  it('writes errors with name, message, stack and cause', () => {
    logger.error('failed to start', new Error('no NATS', { cause: new TypeError('refused') }));
    expect(lines[0]!.level).toBe('error');
    expect(lines[0]!.line.err).toMatchObject({ name: 'Error', message: 'no NATS', stack: expect.stringContaining('no NATS'), cause: { name: 'TypeError', message: 'refused' } });
    expect(lines[0]!.line).not.toHaveProperty('trace_id');
  });
});
