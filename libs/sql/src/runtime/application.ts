/**
 * A running analytics application: input rows per source flow through the pumps into
 * in-application streams; every stream can be observed, beside one error stream and one late-data
 * stream for the whole application. Window state is checkpointed per pump as plain JSON.
 */
import { asyncScheduler, Observable, Subject, Subscription, type SchedulerLike } from 'rxjs';
import type { SqlType } from '../parser/ast';
import { StateHandle, type SideOutputs } from '../operators/side-outputs';
import { planApplication, type ApplicationDefinition, type ApplicationPlan, type StreamPlan } from '../plan/plan-application';
import { castValue, type Row } from '../plan/types';

/** A row that could not be processed: which pump (or, on entry, which source), the row, and why. */
export interface ErrorRecord {
  pump?: string;
  /** Set when a source row could not be converted to its declared column types. */
  source?: string;
  row: unknown;
  error: string;
  time: number;
}

/** A row that arrived after its window closed. */
export interface LateRecord {
  pump: string;
  row: Row;
  watermark: number;
  time: number;
}

/** Window state of every pump, as plain JSON, to resume from after a restart. */
export interface ApplicationState {
  pumps: Record<string, unknown>;
}

export interface CompileOptions extends ApplicationDefinition {
  /** Time for windows, watermarks and ROWTIME stamps; a TestScheduler in tests. Default: asyncScheduler. */
  scheduler?: SchedulerLike;
  /** A checkpoint from `Application.checkpoint()` to resume from. */
  state?: ApplicationState;
}

/** Converts an input value to its column's type only when its JS type does not already fit. */
function converter(type: SqlType): (value: unknown) => unknown {
  switch (type.name) {
    case 'DOUBLE':
    case 'REAL':
    case 'TIMESTAMP':
    case 'DATE':
      return (value) => (typeof value === 'number' ? value : castValue(value, type));
    case 'VARCHAR':
    case 'CHAR':
      return (value) => (typeof value === 'string' && type.params.length === 0 ? value : castValue(value, type));
    case 'BOOLEAN':
      return (value) => (typeof value === 'boolean' ? value : castValue(value, type));
    default:
      return (value) => (typeof value === 'number' && Number.isInteger(value) ? value : castValue(value, type));
  }
}

/** Stamps ROWTIME (arrival time) on a source row and converts its declared columns. */
function admitter(stream: StreamPlan, scheduler: SchedulerLike): (row: Row) => Row {
  const names = stream.columns.map((c) => c.name);
  const converters = stream.columns.map((c) => converter(c.type));
  return (input) => {
    const row: Row = { ROWTIME: scheduler.now() };
    for (let i = 0; i < names.length; i++) row[names[i]] = converters[i](input[names[i]]);
    return row;
  };
}

export class Application {
  private readonly errorSubject = new Subject<ErrorRecord>();
  private readonly lateSubject = new Subject<LateRecord>();
  private readonly streams = new Map<string, Subject<Row>>();
  private readonly states = new Map<string, StateHandle<unknown>>();
  private running?: Subscription;

  /** Rows that failed, per pump (the application keeps running). */
  readonly errors: Observable<ErrorRecord> = this.errorSubject.asObservable();
  /** Rows that came after their window closed. */
  readonly late: Observable<LateRecord> = this.lateSubject.asObservable();

  constructor(
    readonly plan: ApplicationPlan,
    private readonly scheduler: SchedulerLike,
    state?: ApplicationState,
  ) {
    for (const name of plan.streams.keys()) this.streams.set(name, new Subject<Row>());
    for (const pump of plan.pumps) this.states.set(pump.name, new StateHandle(state?.pumps[pump.name]));
  }

  /** The rows of a stream (in-application or source); subscribe before `start`. */
  output(stream: string): Observable<Row> {
    const subject = this.streams.get(stream) ?? [...this.streams].find(([name]) => name.toUpperCase() === stream.toUpperCase())?.[1];
    if (!subject) throw new Error(`no stream ${stream} in this application`);
    return subject.asObservable();
  }

  /** Connects the pumps, then the inputs (rows per source) and reference tables (snapshots of rows). */
  start(inputs: Record<string, Observable<Row>>, tables: Record<string, Observable<readonly Row[]>> = {}): void {
    if (this.running) throw new Error('application already started');
    const running = new Subscription();
    this.running = running;
    const writers = new Map<string, number>();
    for (const pump of this.plan.pumps) writers.set(pump.target, (writers.get(pump.target) ?? 0) + 1);
    for (const pump of this.plan.pumps) {
      const side: SideOutputs = {
        late: (row, watermark) => this.lateSubject.next({ pump: pump.name, row, watermark, time: this.scheduler.now() }),
        error: (row, error) => this.errorSubject.next({ pump: pump.name, row, error: error instanceof Error ? error.message : String(error), time: this.scheduler.now() }),
      };
      const operator = pump.operator({
        scheduler: this.scheduler,
        side,
        state: this.states.get(pump.name)!,
        stream: (name) => this.output(name),
        table: (name) => tables[name] ?? new Observable<readonly Row[]>(),
      });
      const target = this.streams.get(pump.target)!;
      running.add(
        this.output(pump.source).pipe(operator).subscribe({
          next: (row) => target.next(row),
          error: (error: unknown) => side.error(undefined, error),
          complete: () => {
            const left = writers.get(pump.target)! - 1;
            writers.set(pump.target, left);
            if (left === 0) target.complete();
          },
        }),
      );
    }
    for (const [name, stream] of this.plan.streams) {
      if (stream.kind !== 'source') continue;
      const input = inputs[name];
      if (!input) throw new Error(`no input given for source ${name}`);
      const admit = admitter(stream, this.scheduler);
      const subject = this.streams.get(name)!;
      const next = (row: Row) => {
        let admitted: Row;
        try {
          admitted = admit(row);
        } catch (error) {
          this.errorSubject.next({ source: name, row, error: error instanceof Error ? error.message : String(error), time: this.scheduler.now() });
          return;
        }
        subject.next(admitted);
      };
      running.add(input.subscribe({
        next,
        error: (error: unknown) => subject.error(error),
        complete: () => subject.complete(),
      }));
    }
  }

  stop(): void {
    this.running?.unsubscribe();
    this.running = undefined;
  }

  /** Every pump's window state as plain JSON (safe to JSON.stringify and store). */
  checkpoint(): ApplicationState {
    const pumps: Record<string, unknown> = {};
    for (const [name, handle] of this.states) {
      const state = handle.snapshot();
      if (state !== undefined) pumps[name] = state;
    }
    return { pumps };
  }
}

/** Parses and plans the SQL (throwing SqlError with line and column on a mistake) and returns an Application to start. */
export function compileApplication(sql: string, options: CompileOptions): Application {
  const scheduler = options.scheduler ?? asyncScheduler;
  return new Application(planApplication(sql, options, () => scheduler.now()), scheduler, options.state);
}
