import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { MAX_LINKS, TraceLinks, spanContextOf, traceparentOf } from './trace-links';

const traceId = (n: number) => n.toString(16).padStart(32, '0');
const parent = (n: number, span = 1) => `00-${traceId(n)}-${span.toString(16).padStart(16, '0')}-01`;

describe('traceparentOf / spanContextOf', () => {
  it('writes a sampled span context as W3C traceparent and reads it back as a remote one', () => {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, { traceId: traceId(0xabc), spanId: '00000000000000ff', traceFlags: TraceFlags.SAMPLED });
    expect(traceparentOf(ctx)).toBe(`00-${traceId(0xabc)}-00000000000000ff-01`);
    expect(spanContextOf(traceparentOf(ctx)!)).toEqual({ traceId: traceId(0xabc), spanId: '00000000000000ff', traceFlags: 1, isRemote: true });
  });

  it('answers undefined for no span, an invalid span and a malformed header', () => {
    expect(traceparentOf(undefined)).toBeUndefined();
    expect(traceparentOf(ROOT_CONTEXT)).toBeUndefined();
    expect(spanContextOf('00-00000000000000000000000000000000-0000000000000001-01')).toBeUndefined();
    expect(spanContextOf('garbage')).toBeUndefined();
    expect(spanContextOf(`01-${traceId(1)}-0000000000000001-01`)).toBeUndefined();
  });
});

describe('TraceLinks', () => {
  it('keeps one link per trace, the first span seen of it', () => {
    const links = new TraceLinks();
    links.add(parent(1, 1));
    links.add(parent(1, 2));
    links.add(undefined);
    links.add('not a traceparent');
    links.add(parent(2, 3));
    expect(links.links().map((l) => [l.context.traceId, l.context.spanId])).toEqual([
      [traceId(1), '0000000000000001'],
      [traceId(2), '0000000000000003'],
    ]);
  });

  it(`caps the links at ${MAX_LINKS} and counts the traces left out; take() starts afresh`, () => {
    const links = new TraceLinks();
    for (let n = 1; n <= MAX_LINKS + 5; n++) links.add(parent(n));
    expect(links.size).toBe(MAX_LINKS);
    expect(links.overflow).toBe(5);
    expect(links.take()).toHaveLength(MAX_LINKS);
    expect(links.size).toBe(0);
    expect(links.overflow).toBe(0);
  });
});
