import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
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

  it('stops within its limit when the OTLP collector accepts connections and never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      // In a child process of its own: the OTLP exporter loads its HTTP agent with a dynamic
      // import, which jest's module sandbox refuses.
      const script = [
        "const { startTelemetry, withSpan } = require('./libs/telemetry/src/index.ts');",
        "const telemetry = startTelemetry({ serviceName: 'silent-collector', shutdownLimitMs: 500 });",
        'withSpan("op", {}, async () => undefined).then(async () => {',
        '  const started = Date.now();',
        '  await telemetry.shutdown();',
        '  console.log(JSON.stringify({ took: Date.now() - started }));',
        // As stopOnSignals does: the export abandoned in flight would keep the loop alive.
        '  process.exit(0);',
        '});',
      ].join('\n');
      const child = spawn(process.execPath, ['-r', '@swc-node/register', '-e', script], {
        cwd: join(__dirname, '..', '..', '..'),
        env: { ...process.env, OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(silent.address() as { port: number }).port}` },
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number];
      const { took } = JSON.parse(out.trim().split('\n').pop()!) as { took: number };

      expect(code).toBe(0);
      // The export was really attempted (the collector got a connection), and shutdown gave up on it.
      expect(sockets.length).toBeGreaterThan(0);
      expect(took).toBeGreaterThanOrEqual(450);
      expect(took).toBeLessThan(5_000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);
});
