import { TestScheduler } from 'rxjs/testing';
import type { Row } from '../plan/types';
import { intervalJoin, type IntervalJoinSpec, type IntervalJoinState } from './interval-join';
import { StateHandle } from './side-outputs';

/** Left rows {k, t}, right rows {k, t}: match when right.t is in [left.t - 5, left.t + 10]. */
const spec: IntervalJoinSpec = {
  leftKey: (r: Row) => r.k,
  rightKey: (r: Row) => r.k,
  leftTime: (r: Row) => r.t,
  rightTime: (r: Row) => r.t,
  beforeMs: 5,
  afterMs: 10,
  condition: ([l, r]: [Row, Row]) => (r.t as number) >= (l.t as number) - 5 && (r.t as number) <= (l.t as number) + 10,
  output: ([l, r]) => ({ left: l.id, right: r.id }),
};

describe('intervalJoin', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('matches rows of both sides with the same key within the time bounds, whichever side comes first', () => {
    scheduler.run(({ hot, expectObservable }) => {
      // y is 11 after a: outside its window. z comes before c and waits in the buffer.
      const left = hot('a-----c|', { a: { id: 'a', k: 1, t: 100 }, c: { id: 'c', k: 2, t: 100 } });
      const right = hot('-xy-z--|', { x: { id: 'x', k: 1, t: 108 }, y: { id: 'y', k: 1, t: 111 }, z: { id: 'z', k: 2, t: 96 } });
      expectObservable(left.pipe(intervalJoin(spec, right))).toBe('-A----B|', { A: { left: 'a', right: 'x' }, B: { left: 'c', right: 'z' } });
    });
  });

  it('drops buffered rows the other side has moved past, and checkpoints what it keeps', () => {
    const state = new StateHandle<IntervalJoinState>();
    scheduler.run(({ hot, expectObservable }) => {
      const left = hot('a-b--', { a: { id: 'a', k: 1, t: 100 }, b: { id: 'b', k: 1, t: 200 } });
      // y (t 150) is past a's window (100 + 10), so a is dropped; a late right row for a no longer matches.
      const right = hot('-y-z-', { y: { id: 'y', k: 1, t: 150 }, z: { id: 'z', k: 1, t: 105 } });
      expectObservable(left.pipe(intervalJoin(spec, right, { state }))).toBe('-----');
    });
    const saved = JSON.parse(JSON.stringify(state.snapshot())) as IntervalJoinState;
    expect(saved.maxTime).toEqual([200, 150]);
    expect(saved.buffers[0]).toEqual([[1, [{ row: { id: 'b', k: 1, t: 200 }, time: 200 }]]]);

    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    scheduler.run(({ hot, cold, expectObservable }) => {
      const right = hot('-w-', { w: { id: 'w', k: 1, t: 205 } });
      expectObservable(cold<Row>('---').pipe(intervalJoin(spec, right, { state: new StateHandle(saved) }))).toBe('-B-', { B: { left: 'b', right: 'w' } });
    });
  });
});
