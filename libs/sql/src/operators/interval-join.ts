/**
 * Stream-to-stream join within a time window:
 *   `a JOIN b ON a.k = b.k AND b.ts BETWEEN a.ts - INTERVAL 'x' ... AND a.ts + INTERVAL 'y' ...`
 * Both sides are buffered by key; a row is dropped from its buffer once the other side's time has
 * moved past every time it could still match (minus the bounded out-of-orderness).
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Evaluator } from '../plan/compile-expr';
import type { Row } from '../plan/types';
import { noSideOutputs, type SideOutputs, type StateHandle } from './side-outputs';

export interface IntervalJoinSpec {
  leftKey: Evaluator;
  rightKey: Evaluator;
  leftTime: Evaluator;
  rightTime: Evaluator;
  /** A right row matches a left row when right.time is in [left.time - beforeMs, left.time + afterMs]. */
  beforeMs: number;
  afterMs: number;
  /** The whole ON condition over [left, right]. */
  condition: Evaluator;
  output: (pair: [Row, Row]) => Row | undefined;
  /** Bounded out-of-orderness of [left, right]: how far behind its side's largest time a row may still come. */
  maxOutOfOrdernessMs?: [number, number];
}

interface Buffered {
  row: Row;
  time: number;
}

/** Checkpoint of a join: the rows each side still buffers, and the largest time seen per side. */
export interface IntervalJoinState {
  buffers: [[unknown, Buffered[]][], [unknown, Buffered[]][]];
  maxTime: [number | null, number | null];
}

/** How many rows pass between sweeps of both buffers; a matched bucket is also pruned when touched. */
const sweepEvery = 4096;

export function intervalJoin(spec: IntervalJoinSpec, right$: Observable<Row>, options: { side?: SideOutputs; state?: StateHandle<IntervalJoinState> } = {}): OperatorFunction<Row, Row> {
  return (left$) =>
    new Observable<Row>((subscriber) => {
      const side = options.side ?? noSideOutputs;
      const slack = spec.maxOutOfOrdernessMs ?? [0, 0];
      const saved = options.state?.initial;
      const buffers = [new Map<unknown, Buffered[]>(saved?.buffers[0]), new Map<unknown, Buffered[]>(saved?.buffers[1])];
      // JSON turns -Infinity into null.
      const maxTime = (saved?.maxTime ?? [null, null]).map((t) => t ?? -Infinity);
      if (options.state) {
        options.state.snapshot = () => ({ buffers: [[...buffers[0]], [...buffers[1]]], maxTime: [maxTime[0], maxTime[1]] });
      }
      // A left row is useless once right times pass left.time + after; a right row once left times pass right.time + before.
      const keepFor = [spec.afterMs, spec.beforeMs];
      let seen = 0;
      let open = 2;

      // A row of one side can still be matched by rows of the other side up to that side's out-of-orderness behind.
      const expired = (sideIndex: number, entry: Buffered) => maxTime[1 - sideIndex] - slack[1 - sideIndex] > entry.time + keepFor[sideIndex];
      const sweep = () => {
        for (let s = 0; s < 2; s++) {
          for (const [key, entries] of buffers[s]) {
            const kept = entries.filter((entry) => !expired(s, entry));
            if (kept.length === 0) buffers[s].delete(key);
            else buffers[s].set(key, kept);
          }
        }
      };

      const onRow = (sideIndex: 0 | 1, row: Row) => {
        const key = sideIndex === 0 ? spec.leftKey(row) : spec.rightKey(row);
        const time = (sideIndex === 0 ? spec.leftTime(row) : spec.rightTime(row)) as number;
        maxTime[sideIndex] = Math.max(maxTime[sideIndex], time);
        const otherSide = 1 - sideIndex;
        let others = buffers[otherSide].get(key);
        if (others && others.length > 0 && expired(otherSide, others[0])) {
          others = others.filter((entry) => !expired(otherSide, entry));
          buffers[otherSide].set(key, others);
        }
        if (others) {
          for (const other of others) {
            const pair: [Row, Row] = sideIndex === 0 ? [row, other.row] : [other.row, row];
            if (spec.condition(pair) !== true) continue;
            const out = spec.output(pair);
            if (out) subscriber.next(out);
          }
        }
        const mine = buffers[sideIndex].get(key);
        if (mine) mine.push({ row, time });
        else buffers[sideIndex].set(key, [{ row, time }]);
        if (++seen % sweepEvery === 0) sweep();
      };

      const observer = (sideIndex: 0 | 1) => ({
        next: (row: Row) => {
          try {
            onRow(sideIndex, row);
          } catch (error) {
            side.error(row, error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (--open === 0) subscriber.complete();
        },
      });
      const leftSubscription = left$.subscribe(observer(0));
      const rightSubscription = right$.subscribe(observer(1));
      return () => {
        leftSubscription.unsubscribe();
        rightSubscription.unsubscribe();
      };
    });
}
