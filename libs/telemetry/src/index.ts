export { startTelemetry } from './sdk';
export type { TelemetryHandle, TelemetryOptions } from './sdk';
export { withSpan } from './tracer';
export type { WithSpanOptions } from './tracer';
export { extractTraceContext, injectTraceContext } from './nats-propagation';
