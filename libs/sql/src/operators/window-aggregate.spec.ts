import { TestScheduler } from 'rxjs/testing';
import type { Expr } from '../parser/ast';
import { accumulatorFor } from '../plan/aggregates';
import type { Row } from '../plan/types';
import { StateHandle, type SideOutputs } from './side-outputs';
import type { TimeOptions } from './watermark';
import { windowAggregate, type GroupResult, type WindowAggregateSpec, type WindowAggregateState } from './window-aggregate';
import type { WindowKind } from './window-assigners';

const pos = { line: 1, column: 1 };
const call = (name: string): Expr & { kind: 'call' } => ({ kind: 'call', name, args: [{ kind: 'column', name: 'V', quoted: false, pos }], distinct: false, pos });

/** SUM(v) and COUNT(v) per key k, over row time t. */
function spec(window: WindowKind): WindowAggregateSpec {
  return {
    window,
    time: (r: Row) => r.t,
    keys: [(r: Row) => r.k],
    aggregates: [
      { accumulator: accumulatorFor(call('SUM')).accumulator, input: (r: Row) => r.v },
      { accumulator: accumulatorFor(call('COUNT')).accumulator, input: (r: Row) => r.v },
    ],
    output: (g: GroupResult) => ({ k: g.keys[0], start: g.start, end: g.end, sum: g.values[0], n: g.values[1] }),
  };
}

const row = (k: string, t: number, v = 1): Row => ({ k, t, v });
const result = (k: string, start: number, end: number, sum: number, n: number) => ({ k, start, end, sum, n });

describe('windowAggregate', () => {
  let scheduler: TestScheduler;
  let late: [number, Row, number][];
  let errors: unknown[];
  let side: SideOutputs;

  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    late = [];
    errors = [];
    side = { late: (r, watermark) => late.push([scheduler.now(), r, watermark]), error: (_r, e) => errors.push(e) };
  });

  const run = (window: WindowKind, time: TimeOptions, input: string, rows: Record<string, Row>, expected: string, results: Record<string, Row>, state?: StateHandle<WindowAggregateState>) =>
    scheduler.run(({ hot, expectObservable }) => {
      expectObservable(hot(input, rows).pipe(windowAggregate(spec(window), { scheduler, time, side, state }))).toBe(expected, results);
    });

  it('tumbling on event time: a window closes when the watermark passes its end; end of input closes the rest', () => {
    run({ kind: 'tumbling', sizeMs: 10 }, { mode: 'event' },
      '-a-b-c-d|', { a: row('x', 1, 1), b: row('x', 5, 2), c: row('x', 12, 3), d: row('y', 25, 4) },
      '-----A-B(C|)', { A: result('x', 0, 10, 3, 2), B: result('x', 10, 20, 3, 1), C: result('y', 20, 30, 4, 1) });
    expect(late).toEqual([]);
  });

  it('tumbling on processing time: the window closes on the clock, without further rows', () => {
    run({ kind: 'tumbling', sizeMs: 10 }, { mode: 'processing' },
      '-a--b-----------', { a: row('x', 1, 1), b: row('x', 4, 2) },
      '----------A', { A: result('x', 0, 10, 3, 2) });
  });

  it('bounded out-of-orderness: a row up to maxOutOfOrdernessMs behind the largest time still counts', () => {
    run({ kind: 'tumbling', sizeMs: 10 }, { mode: 'event', maxOutOfOrdernessMs: 5 },
      'abcd|', { a: row('x', 1, 1), b: row('x', 12, 2), c: row('x', 8, 4), d: row('x', 16, 8) },
      '---A(B|)', { A: result('x', 0, 10, 5, 2), B: result('x', 10, 20, 10, 2) });
    expect(late).toEqual([]);
  });

  it('a row past the allowed lateness goes to the late side output, not into a closed window', () => {
    run({ kind: 'tumbling', sizeMs: 10 }, { mode: 'event' },
      'abc|', { a: row('x', 1, 1), b: row('x', 12, 2), c: row('x', 3, 4) },
      '-A-(B|)', { A: result('x', 0, 10, 1, 1), B: result('x', 10, 20, 2, 1) });
    expect(late).toEqual([[2, row('x', 3, 4), 12]]);
  });

  it('allowed lateness keeps a window open after the watermark passes its end', () => {
    run({ kind: 'tumbling', sizeMs: 10 }, { mode: 'event', allowedLatenessMs: 5 },
      'abcd|', { a: row('x', 1, 1), b: row('x', 12, 2), c: row('x', 3, 4), d: row('x', 16, 8) },
      '---A(B|)', { A: result('x', 0, 10, 5, 2), B: result('x', 10, 20, 10, 2) });
    expect(late).toEqual([]);
  });

  it('an idle source does not stall windows: after the idle timeout the watermark follows processing time', () => {
    run({ kind: 'tumbling', sizeMs: 10 }, { mode: 'event', idleTimeoutMs: 100 },
      'a------', { a: row('x', 1, 1) },
      '100ms A', { A: result('x', 0, 10, 1, 1) });
  });

  it('hopping windows: each row counts in every window that covers it', () => {
    run({ kind: 'hopping', sizeMs: 10, slideMs: 5 }, { mode: 'event' },
      'a---b---c---|', { a: row('x', 1, 1), b: row('x', 6, 2), c: row('x', 20, 4) },
      '----A---(BC)(DE|)', {
        A: result('x', -5, 5, 1, 1), B: result('x', 0, 10, 3, 2), C: result('x', 5, 15, 2, 1),
        D: result('x', 15, 25, 4, 1), E: result('x', 20, 30, 4, 1),
      });
  });

  it('session windows: rows within the gap extend a session; a row bridging two sessions merges them', () => {
    run({ kind: 'session', gapMs: 5 }, { mode: 'event', maxOutOfOrdernessMs: 10 },
      'abcd|', { a: row('x', 1, 1), b: row('x', 8, 2), c: row('x', 5, 4), d: row('x', 30, 8) },
      '---A(B|)', { A: result('x', 1, 13, 7, 3), B: result('x', 30, 35, 8, 1) });
  });

  it('stagger windows: a key\'s window opens at its first row and closes the range later', () => {
    run({ kind: 'stagger', sizeMs: 10 }, { mode: 'event' },
      'abcd|', { a: row('x', 3, 1), b: row('y', 5, 2), c: row('x', 9, 4), d: row('x', 14, 8) },
      '---A(BC|)', { A: result('x', 3, 13, 5, 2), B: result('y', 5, 15, 2, 1), C: result('x', 14, 24, 8, 1) });
  });

  it('checkpoint: state is plain JSON; after a restore the closed window is not emitted twice', () => {
    const first = new StateHandle<WindowAggregateState>();
    run({ kind: 'tumbling', sizeMs: 10 }, { mode: 'event' },
      'abc-', { a: row('x', 1, 1), b: row('x', 12, 2), c: row('x', 13, 4) },
      '-A--', { A: result('x', 0, 10, 1, 1) }, first);
    const saved = JSON.parse(JSON.stringify(first.snapshot())) as WindowAggregateState;
    expect(saved.groups).toEqual([{ keys: ['x'], windows: [{ start: 10, end: 20, states: [6, 2] }] }]);

    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    // A new process resumes mid-window: a replayed row of the closed window is late, the open window goes on.
    run({ kind: 'tumbling', sizeMs: 10 }, { mode: 'event' },
      'de|', { d: row('x', 3, 100), e: row('x', 25, 8) },
      '-A(B|)', { A: result('x', 10, 20, 6, 2), B: result('x', 20, 30, 8, 1) }, new StateHandle(saved));
    expect(late.map(([, r]) => r)).toEqual([row('x', 3, 100)]);
  });

  it('a row whose expression throws goes to the error output and the stream goes on', () => {
    const failing: WindowAggregateSpec = { ...spec({ kind: 'tumbling', sizeMs: 10 }), time: (r: Row) => {
      if (r.t === undefined) throw new Error('no time');
      return r.t;
    } };
    scheduler.run(({ hot, expectObservable }) => {
      const rows = { a: row('x', 1, 1), b: { k: 'x', v: 5 }, c: row('x', 2, 2) };
      expectObservable(hot('abc|', rows).pipe(windowAggregate(failing, { scheduler, time: { mode: 'event' }, side }))).toBe('---(A|)', { A: result('x', 0, 10, 3, 2) });
    });
    expect(errors).toEqual([new Error('no time')]);
  });

  it('a row without a time (NULL) is an error, not a window at 0', () => {
    scheduler.run(({ hot, expectObservable }) => {
      const rows = { a: row('x', 1, 1), b: { k: 'x', t: null, v: 5 } };
      expectObservable(hot('ab|', rows).pipe(windowAggregate(spec({ kind: 'tumbling', sizeMs: 10 }), { scheduler, time: { mode: 'event' }, side }))).toBe('--(A|)', { A: result('x', 0, 10, 1, 1) });
    });
    expect(errors).toEqual([new TypeError('window time is NULL')]);
  });
});
