import { ROOT_CONTEXT, context, type Context, type TextMapGetter, type TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { MsgHdrs } from 'nats';

// Our own W3C propagator rather than the global one: NATS hops always speak
// traceparent/tracestate, whatever OTEL_PROPAGATORS says, even before the SDK starts.
const propagator = new W3CTraceContextPropagator();

const setter: TextMapSetter<MsgHdrs> = {
  set: (headers, key, value) => headers.set(key, value),
};

const getter: TextMapGetter<MsgHdrs> = {
  keys: (headers) => headers.keys(),
  // MsgHdrs answers '' for a missing key; the propagator wants undefined.
  get: (headers, key) => (headers.has(key) ? headers.get(key) : undefined),
};

/** Writes the trace context (`traceparent`, `tracestate`) of `ctx` into a NATS message's headers. */
export function injectTraceContext(headers: MsgHdrs, ctx: Context = context.active()): void {
  propagator.inject(ctx, headers, setter);
}

/**
 * Reads the trace context of a received NATS message, to parent the handler's span.
 * Based on the root context, not the active one: a subscription loop's own context
 * must not become the parent of the messages it delivers.
 */
export function extractTraceContext(headers?: MsgHdrs): Context {
  if (headers === undefined) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, headers, getter);
}
