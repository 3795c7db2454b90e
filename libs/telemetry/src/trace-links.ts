import { trace, TraceFlags, type Context, type Link, type SpanContext } from '@opentelemetry/api';

/** At most this many links on a span that follows from many traces (a delivered batch, an output write). */
export const MAX_LINKS = 128;

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C `traceparent` of a context's span, to store beside data that outlives the request
 * (a JetStream message's headers); undefined when the context holds no valid span.
 */
export function traceparentOf(ctx: Context | undefined): string | undefined {
  const span = ctx && trace.getSpanContext(ctx);
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  return `00-${span.traceId}-${span.spanId}-0${(span.traceFlags & TraceFlags.SAMPLED).toString(16)}`;
}

/** The span context a stored `traceparent` names (remote), or undefined when it is not one. */
export function spanContextOf(traceparent: string): SpanContext | undefined {
  const match = TRACEPARENT.exec(traceparent);
  if (!match) return undefined;
  const span: SpanContext = { traceId: match[1]!, spanId: match[2]!, traceFlags: parseInt(match[3]!, 16), isRemote: true };
  return trace.isSpanContextValid(span) ? span : undefined;
}

/**
 * Collects the traces a batch of stored records came from, as span links: one per distinct
 * trace (the first traceparent seen of it), at most {@link MAX_LINKS}; the rest are counted,
 * not linked. Fed once per message (a message holds one request's records), never per record.
 */
export class TraceLinks {
  /** traceparent by trace id. */
  private readonly seen = new Map<string, string>();
  private dropped = 0;

  constructor(private readonly cap = MAX_LINKS) {}

  add(traceparent: string | undefined): void {
    if (traceparent === undefined || traceparent.length !== 55) return;
    const traceId = traceparent.slice(3, 35);
    if (this.seen.has(traceId)) return;
    if (this.seen.size >= this.cap) this.dropped++;
    else this.seen.set(traceId, traceparent);
  }

  /** Traceparents of traces beyond the cap that were not linked. */
  get overflow(): number {
    return this.dropped;
  }

  get size(): number {
    return this.seen.size;
  }

  links(): Link[] {
    const links: Link[] = [];
    for (const value of this.seen.values()) {
      const context = spanContextOf(value);
      if (context) links.push({ context });
    }
    return links;
  }

  /** The links so far, and starts afresh. */
  take(): Link[] {
    const links = this.links();
    this.seen.clear();
    this.dropped = 0;
    return links;
  }
}
