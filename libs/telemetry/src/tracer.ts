import {
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanKind,
  type SpanOptions,
} from '@opentelemetry/api';

/** Where a span sits in a trace: its parent context (default: the active one), kind and links. */
export interface WithSpanOptions {
  /** Parent context, e.g. from {@link extractTraceContext} on a NATS message. */
  readonly parent?: Context;
  readonly kind?: SpanKind;
  /** Spans this one follows from, e.g. the puts a delivered batch holds. */
  readonly links?: Link[];
}

const TRACER_NAME = '@shardline/telemetry';

/**
 * Runs `fn` inside a new active span, records a thrown error on it (exception event
 * and ERROR status) and ends it. Meant for one call per request or batch: never per
 * record, the hot path's budget is a few microseconds per record.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span, context: Context) => Promise<T>,
  options: WithSpanOptions = {},
): Promise<T> {
  const spanOptions: SpanOptions = { attributes, kind: options.kind, links: options.links };
  const parent = options.parent ?? context.active();
  // Looked up per call (a map lookup) rather than held: a tracer obtained before a
  // shutdown and restart of the SDK would keep pointing at the stopped provider.
  return trace.getTracer(TRACER_NAME).startActiveSpan(name, spanOptions, parent, async (span) => {
    try {
      // The span's context is handed over explicitly: after the first await it is no
      // longer the active one (see SyncContextManager).
      return await fn(span, trace.setSpan(parent, span));
    } catch (error: unknown) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}
