/** What operators share: where late rows and failing rows go, and how window state is checkpointed. */
import type { Row } from '../plan/types';

/** Sinks beside an operator's main output; an operator never fails its stream for one bad row. */
export interface SideOutputs {
  /** A row arrived after its window was closed (watermark past its end plus the allowed lateness). */
  late(row: Row, watermark: number): void;
  /** Evaluating a row (or a group's result) threw. */
  error(row: unknown, error: unknown): void;
}

export const noSideOutputs: SideOutputs = {
  late: () => undefined,
  error: () => undefined,
};

/**
 * A checkpoint slot: `initial` is the JSON state to resume from; a running operator replaces
 * `snapshot` with a function returning its current state as plain JSON.
 */
export class StateHandle<S = unknown> {
  snapshot: () => S | undefined = () => this.initial;

  constructor(public initial?: S) {}
}
