import { context, propagation, trace } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { SyncContextManager } from './sync-context-manager';
import {
  BatchSpanProcessor,
  NoopSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** Options for {@link startTelemetry}. */
export interface TelemetryOptions {
  /** `service.name` of every span this process emits (e.g. `shardline-gateway`). */
  readonly serviceName: string;
  /** Exporter to use instead of the environment's; tests pass an `InMemorySpanExporter`. */
  readonly exporter?: SpanExporter;
  /** How long `shutdown` waits for the last spans to be exported (default SHUTDOWN_EXPORT_LIMIT_MS). */
  readonly shutdownLimitMs?: number;
}

/**
 * A stopping process gives its last spans this long to reach the collector. The OTLP
 * exporter waits up to 10 s per export (OTEL_EXPORTER_OTLP_TIMEOUT), and a collector that
 * does not answer must not hold the process past its orchestrator's grace period (docker
 * stop's is 10 s, and draining the app comes first): spans not exported by then are dropped.
 */
const SHUTDOWN_EXPORT_LIMIT_MS = 3_000;

/** The running SDK of this process. */
export interface TelemetryHandle {
  readonly serviceName: string;
  /** Exports the spans still buffered by the batch processor. */
  forceFlush(): Promise<void>;
  /** Flushes and stops the SDK, and unregisters it so a later start begins afresh. */
  shutdown(): Promise<void>;
}

let running: TelemetryHandle | undefined;

/**
 * Starts the OpenTelemetry SDK for traces. Call it before Nest boots, so that the
 * context manager and tracer provider are registered before any span is started.
 * Idempotent per process: a second call returns the running handle unchanged.
 *
 * Spans go to `options.exporter` if given, else over OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, else nowhere; spans are still created in the
 * last case, so trace context flows through NATS headers between processes.
 */
export function startTelemetry(options: TelemetryOptions): TelemetryHandle {
  if (running !== undefined) return running;

  const processor = spanProcessorFor(options.exporter);
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors: [processor],
    // Traces only: metrics are served by each app's Prometheus endpoint, and empty
    // lists stop NodeSDK from building OTLP metric and log exporters from the env.
    metricReaders: [],
    logRecordProcessors: [],
    // No auto-instrumentations: patching http, fastify, pg and nats adds CPU to every
    // request and every record on the hot path; spans are started by hand in adapters,
    // once per request or batch, never per record.
    instrumentations: [],
    contextManager: process.env.OTEL_ASYNC_CONTEXT === '1' ? undefined : new SyncContextManager(),
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  });
  sdk.start();

  const handle: TelemetryHandle = {
    serviceName: options.serviceName,
    forceFlush: () => processor.forceFlush(),
    shutdown: async () => {
      if (running !== handle) return;
      running = undefined;
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.shutdownLimitMs ?? SHUTDOWN_EXPORT_LIMIT_MS)));
      try {
        await Promise.race([sdk.shutdown(), limit]);
      } finally {
        clearTimeout(timer);
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
  running = handle;
  return handle;
}

function spanProcessorFor(exporter: SpanExporter | undefined): SpanProcessor {
  if (exporter !== undefined) return new BatchSpanProcessor(exporter);
  // OTLPTraceExporter reads the endpoint (and headers, timeout) from OTEL_* itself.
  if (process.env.OTEL_EXPORTER_OTLP_ENDPOINT) return new BatchSpanProcessor(new OTLPTraceExporter());
  return new NoopSpanProcessor();
}
