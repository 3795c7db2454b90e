/**
 * KDA's per-row sliding window, `AVG(x) OVER (PARTITION BY k RANGE INTERVAL '1' MINUTE PRECEDING)`:
 * each row is emitted at once with aggregates over its partition's rows in [time - range, time].
 * Rows are expected in time order (ROWTIME is); state is the retained rows per partition, as JSON.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Accumulator } from '../plan/aggregates';
import type { Evaluator } from '../plan/compile-expr';
import type { Row } from '../plan/types';
import { noSideOutputs, type SideOutputs, type StateHandle } from './side-outputs';

export interface SlidingWindow {
  rangeMs: number;
  partitionBy: Evaluator[];
  aggregates: { accumulator: Accumulator; input?: Evaluator }[];
}

export interface SlidingAggregateSpec {
  time: Evaluator;
  windows: SlidingWindow[];
  /** The output row from the input row and each window's aggregate values. */
  output: (row: Row, values: unknown[][]) => Row | undefined;
}

/** Per window, per partition key: retained [time, inputs...] entries. */
export type SlidingState = [unknown, [number, ...unknown[]][]][][];

export function slidingAggregate(spec: SlidingAggregateSpec, options: { side?: SideOutputs; state?: StateHandle<SlidingState> } = {}): OperatorFunction<Row, Row> {
  return (source) =>
    new Observable<Row>((subscriber) => {
      const side = options.side ?? noSideOutputs;
      const partitions = spec.windows.map((_, i) => new Map<unknown, [number, ...unknown[]][]>(options.state?.initial?.[i] ?? []));
      if (options.state) options.state.snapshot = () => partitions.map((map) => [...map]);

      const aggregateWindow = (window: SlidingWindow, index: number, row: Row, t: number): unknown[] => {
        const key = window.partitionBy.length === 1 ? window.partitionBy[0](row) : window.partitionBy.map((k) => String(k(row))).join('\u0000');
        const map = partitions[index];
        let entries = map.get(key);
        if (!entries) map.set(key, (entries = []));
        entries.push([t, ...window.aggregates.map((a) => (a.input ? a.input(row) : null))]);
        let drop = 0;
        while (drop < entries.length && entries[drop][0] < t - window.rangeMs) drop++;
        if (drop > 0) entries.splice(0, drop);
        return window.aggregates.map((aggregate, i) => {
          let state = aggregate.accumulator.init();
          for (const entry of entries) state = aggregate.accumulator.add(state, entry[i + 1]);
          return aggregate.accumulator.result(state);
        });
      };

      return source.subscribe({
        next: (row) => {
          try {
            const t = spec.time(row) as number;
            const values = spec.windows.map((window, i) => aggregateWindow(window, i, row, t));
            const out = spec.output(row, values);
            if (out) subscriber.next(out);
          } catch (error) {
            side.error(row, error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
