/**
 * Windowed GROUP BY: rows are grouped by key and window (tumbling, hopping, session, stagger);
 * a window's result rows are emitted once, when the watermark passes its end plus the allowed
 * lateness. Rows for an already closed window go to the late side output. State is plain JSON.
 */
import { Observable, type OperatorFunction, type SchedulerLike, type Subscriber } from 'rxjs';
import type { Accumulator } from '../plan/aggregates';
import type { Evaluator } from '../plan/compile-expr';
import type { Row } from '../plan/types';
import { noSideOutputs, type SideOutputs, type StateHandle } from './side-outputs';
import { WatermarkClock, type TimeOptions, type WatermarkState } from './watermark';
import { assignerFor, type OpenWindow, type WindowAssigner, type WindowKind } from './window-assigners';

/** A closed window of one group, handed to the projection. */
export interface GroupResult {
  keys: unknown[];
  values: unknown[];
  start: number;
  end: number;
}

export interface WindowAggregateSpec {
  window: WindowKind;
  /** The row's time (ROWTIME or an event-time column), epoch ms. */
  time: Evaluator;
  keys: Evaluator[];
  aggregates: { accumulator: Accumulator; input?: Evaluator }[];
  /** HAVING and the select list: the output row of a group, or undefined to drop it. */
  output: (group: GroupResult) => Row | undefined;
}

export interface WindowAggregateOptions {
  scheduler: SchedulerLike;
  time: TimeOptions;
  side?: SideOutputs;
  state?: StateHandle<WindowAggregateState>;
}

/** Checkpoint of a window operator: the watermark, how far windows are closed, and every open window. */
export interface WindowAggregateState extends WatermarkState {
  closedUpTo?: number | null;
  groups: { keys: unknown[]; windows: { start: number; end: number; states: unknown[] }[] }[];
}

interface Group {
  keys: unknown[];
  windows: OpenWindow[];
}

const keySeparator = '\u0000';

/** A group's map key: the value itself for one key column, a joined string for several. */
function joinKeys(values: unknown[]): unknown {
  if (values.length === 0) return keySeparator;
  if (values.length === 1) return values[0];
  let key = '';
  for (const value of values) key += `${String(value)}${keySeparator}`;
  return key;
}

/** The state of one subscription: groups with their open windows, and the clock that closes them. */
class WindowAggregator {
  private readonly groups = new Map<unknown, Group>();
  private readonly assigner: WindowAssigner;
  private readonly clock: WatermarkClock;
  private readonly side: SideOutputs;
  /** The earliest end among open windows (a lower bound): closing scans only once the watermark passes it. */
  private nextClose = Infinity;
  /** Windows ending at or before this are closed; rows for them are late. */
  private closedUpTo = -Infinity;
  private current: Row = {};
  private readonly addCurrent = (window: OpenWindow) => this.add(window);
  private readonly open = (start: number, end: number): OpenWindow => ({ start, end, states: this.spec.aggregates.map((a) => a.accumulator.init()) });

  constructor(
    private readonly spec: WindowAggregateSpec,
    private readonly options: WindowAggregateOptions,
    private readonly subscriber: Subscriber<Row>,
  ) {
    this.side = options.side ?? noSideOutputs;
    this.assigner = assignerFor(spec.window, (into, from) => this.merge(into, from));
    this.clock = new WatermarkClock(options.time, options.scheduler, (watermark) => this.close(watermark - this.clock.lateness));
    const handle = options.state;
    if (handle) {
      if (handle.initial) this.restore(handle.initial);
      handle.snapshot = () => this.save();
    }
  }

  onRow(row: Row): void {
    try {
      const time = this.spec.time(row);
      if (typeof time !== 'number' || Number.isNaN(time)) throw new TypeError(`window time is ${time === null || time === undefined ? 'NULL' : `not a TIMESTAMP: ${JSON.stringify(time)}`}`);
      const watermark = this.clock.observe(time);
      if (this.assigner.lastEnd(time) + this.clock.lateness <= Math.max(watermark, this.closedUpTo)) {
        this.side.late(row, watermark);
        return;
      }
      const key = this.groupKey(row);
      let group = this.groups.get(key);
      if (!group) {
        group = { keys: this.spec.keys.map((k) => k(row)), windows: [] };
        this.groups.set(key, group);
      }
      this.current = row;
      this.windowOpened(this.assigner.assign(group.windows, time, this.closedUpTo, this.open, this.addCurrent));
      if (this.options.time.mode === 'event') this.close(watermark - this.clock.lateness);
    } catch (error) {
      this.side.error(row, error);
    }
  }

  /** End of input is an infinite watermark: every open window is final. */
  complete(): void {
    this.close(Infinity, false);
    this.subscriber.complete();
  }

  stop(): void {
    this.clock.stop();
  }

  private groupKey(row: Row): unknown {
    const keys = this.spec.keys;
    if (keys.length === 1) return keys[0](row);
    let key = keys.length === 0 ? keySeparator : '';
    for (let i = 0; i < keys.length; i++) key += `${String(keys[i](row))}${keySeparator}`;
    return key;
  }

  private add(window: OpenWindow): void {
    const { aggregates } = this.spec;
    const states = window.states;
    for (let i = 0; i < aggregates.length; i++) {
      const aggregate = aggregates[i];
      states[i] = aggregate.accumulator.add(states[i], aggregate.input ? aggregate.input(this.current) : null);
    }
  }

  private merge(into: OpenWindow, from: OpenWindow): void {
    const { aggregates } = this.spec;
    for (let i = 0; i < aggregates.length; i++) into.states[i] = aggregates[i].accumulator.merge(into.states[i], from.states[i]);
    into.start = Math.min(into.start, from.start);
    into.end = Math.max(into.end, from.end);
  }

  private windowOpened(end: number): void {
    if (end >= this.nextClose) return;
    this.nextClose = end;
    this.clock.wakeAt(end + this.clock.lateness);
  }

  /** Emits and drops every window ending at or before `limit`, in order of end. */
  private close(limit: number, advance = true): void {
    if (limit < this.nextClose) return;
    const closed: { group: Group; window: OpenWindow }[] = [];
    this.nextClose = Infinity;
    for (const [key, group] of this.groups) {
      const windows = group.windows;
      for (let i = 0; i < windows.length; i++) {
        if (windows[i].end <= limit) closed.push({ group, window: windows.splice(i--, 1)[0] });
        else this.nextClose = Math.min(this.nextClose, windows[i].end);
      }
      if (windows.length === 0) this.groups.delete(key);
    }
    if (advance) this.closedUpTo = Math.max(this.closedUpTo, limit);
    closed.sort((a, b) => a.window.end - b.window.end || a.window.start - b.window.start);
    for (const { group, window } of closed) this.emit(group, window);
    if (Number.isFinite(this.nextClose)) this.clock.wakeAt(this.nextClose + this.clock.lateness);
  }

  private emit(group: Group, window: OpenWindow): void {
    const { aggregates } = this.spec;
    const result: GroupResult = {
      keys: group.keys,
      values: window.states.map((state, i) => aggregates[i].accumulator.result(state)),
      start: window.start,
      end: window.end,
    };
    try {
      const row = this.spec.output(result);
      if (row) this.subscriber.next(row);
    } catch (error) {
      this.side.error({ keys: result.keys, windowStart: result.start, windowEnd: result.end }, error);
    }
  }

  private save(): WindowAggregateState {
    const { aggregates } = this.spec;
    return {
      ...this.clock.save(),
      closedUpTo: this.closedUpTo,
      groups: [...this.groups.values()].map((group) => ({
        keys: group.keys,
        windows: group.windows.map((w) => ({ start: w.start, end: w.end, states: w.states.map((s, i) => aggregates[i].accumulator.save(s)) })),
      })),
    };
  }

  private restore(state: WindowAggregateState): void {
    const { aggregates } = this.spec;
    this.clock.load(state);
    // JSON turns -Infinity into null.
    this.closedUpTo = typeof state.closedUpTo === 'number' ? state.closedUpTo : -Infinity;
    for (const saved of state.groups) {
      const windows = saved.windows.map((w) => ({ start: w.start, end: w.end, states: w.states.map((s, i) => aggregates[i].accumulator.load(s)) }));
      this.groups.set(joinKeys(saved.keys), { keys: saved.keys, windows });
      for (const window of windows) this.windowOpened(window.end);
    }
  }
}

/**
 * The windowed aggregation operator; `options.state` checkpoints and restores it. (rxjs 7 keeps
 * `operate()` internal; a `new Observable` per subscription is the public equivalent.)
 */
export function windowAggregate(spec: WindowAggregateSpec, options: WindowAggregateOptions): OperatorFunction<Row, Row> {
  return (source) =>
    new Observable<Row>((subscriber) => {
      const aggregator = new WindowAggregator(spec, options, subscriber);
      const subscription = source.subscribe({
        next: (row) => aggregator.onRow(row),
        error: (error: unknown) => subscriber.error(error),
        complete: () => aggregator.complete(),
      });
      return () => {
        aggregator.stop();
        subscription.unsubscribe();
      };
    });
}
