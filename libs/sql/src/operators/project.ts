/** Row-at-a-time pumps: WHERE then the select list; a row whose expressions throw goes to the error output. */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Row } from '../plan/types';
import { noSideOutputs, type SideOutputs } from './side-outputs';

/** `project(row)` returns the output row, or undefined when WHERE rejects it. */
export function projectRows<In = Row>(project: (row: In) => Row | undefined, side: SideOutputs = noSideOutputs): OperatorFunction<In, Row> {
  return (source) =>
    new Observable<Row>((subscriber) =>
      source.subscribe({
        next: (row) => {
          let out: Row | undefined;
          try {
            out = project(row);
          } catch (error) {
            side.error(row, error);
            return;
          }
          if (out) subscriber.next(out);
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}
