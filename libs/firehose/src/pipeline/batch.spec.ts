import { MAX_BATCH_TRACES, toBatch, type SourceMessage } from './batch';

const traceparent = (trace: number, span: number) => `00-${trace.toString(16).padStart(32, '0')}-${span.toString(16).padStart(16, '0')}-01`;
const message = (seq: number, trace?: string): SourceMessage => ({ seq, records: [], bytes: 0, ...(trace ? { trace } : {}) });

describe('toBatch: the traces a batch links to', () => {
  it('keeps one traceparent per trace, in order, and none for untraced messages', () => {
    const batch = toBatch('', 1, [message(1, traceparent(1, 1)), message(2), message(3, traceparent(1, 2)), message(4, traceparent(2, 1))]);
    expect(batch.traces).toEqual([traceparent(1, 1), traceparent(2, 1)]);
  });

  it(`keeps at most ${MAX_BATCH_TRACES}`, () => {
    const messages = Array.from({ length: MAX_BATCH_TRACES + 10 }, (_, i) => message(i + 1, traceparent(i + 1, 1)));
    expect(toBatch('', 1, messages).traces).toHaveLength(MAX_BATCH_TRACES);
  });
});
