/**
 * Stream-to-reference-table join. The table arrives as snapshots (an Observable of its rows); each
 * new snapshot replaces the index, so the table can be refreshed while the application runs.
 * Stream rows before the first snapshot join an empty table.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Evaluator } from '../plan/compile-expr';
import type { Row } from '../plan/types';
import { noSideOutputs, type SideOutputs } from './side-outputs';

export interface TableJoinSpec {
  kind: 'INNER' | 'LEFT';
  /** Equality key on the stream row and on the table row (`ON s.k = t.k`). */
  streamKey: Evaluator;
  tableKey: Evaluator;
  /** The rest of ON, over the pair [streamRow, tableRow]; undefined when ON is only the key. */
  residual?: Evaluator;
  /** The output row from the pair [streamRow, tableRow | nullRow]; undefined to drop it. */
  output: (pair: [Row, Row]) => Row | undefined;
}

const nullRow: Row = Object.freeze({}) as Row;

export function tableJoin(spec: TableJoinSpec, table$: Observable<readonly Row[]>, side: SideOutputs = noSideOutputs): OperatorFunction<Row, Row> {
  return (source) =>
    new Observable<Row>((subscriber) => {
      let index = new Map<unknown, Row[]>();
      const tableSubscription = table$.subscribe({
        next: (rows) => {
          const next = new Map<unknown, Row[]>();
          for (const row of rows) {
            const key = spec.tableKey(row);
            const bucket = next.get(key);
            if (bucket) bucket.push(row);
            else next.set(key, [row]);
          }
          index = next;
        },
        error: (error) => side.error(undefined, error),
      });
      const onRow = (row: Row) => {
        const matches = index.get(spec.streamKey(row)) ?? [];
        let matched = false;
        for (const tableRow of matches) {
          const pair: [Row, Row] = [row, tableRow];
          if (spec.residual && spec.residual(pair) !== true) continue;
          matched = true;
          const out = spec.output(pair);
          if (out) subscriber.next(out);
        }
        if (!matched && spec.kind === 'LEFT') {
          const out = spec.output([row, nullRow]);
          if (out) subscriber.next(out);
        }
      };
      const subscription = source.subscribe({
        next: (row) => {
          try {
            onRow(row);
          } catch (error) {
            side.error(row, error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        tableSubscription.unsubscribe();
      };
    });
}
