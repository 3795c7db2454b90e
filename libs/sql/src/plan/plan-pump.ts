/** Turns one CREATE PUMP into an RxJS operator over its source stream, by the kind of query. */
import { pipe, type Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { CreatePump, Expr, WindowDef } from '../parser/ast';
import { SqlError } from '../parser/errors';
import { intervalJoin } from '../operators/interval-join';
import { projectRows } from '../operators/project';
import type { SideOutputs, StateHandle } from '../operators/side-outputs';
import { slidingAggregate, type SlidingWindow } from '../operators/sliding-aggregate';
import { tableJoin } from '../operators/table-join';
import { windowAggregate } from '../operators/window-aggregate';
import { accumulatorFor, isAggregateCall, isAggregateName } from './aggregates';
import { compileExpr, type Evaluator, type ExprScope } from './compile-expr';
import { expandItems, outputRow, targetColumns } from './output';
import { planWindow, type WatermarkOptions } from './plan-window';
import { pairScope, rowScope, sidesOf, type Relation } from './scope';
import type { Row } from './types';

/** What a running pump is given: time, side outputs, its checkpoint slot and other inputs. */
export interface PumpContext {
  scheduler: SchedulerLike;
  side: SideOutputs;
  state: StateHandle<unknown>;
  stream(name: string): Observable<Row>;
  table(name: string): Observable<readonly Row[]>;
}

export interface PumpPlan {
  name: string;
  source: string;
  target: string;
  /** Streams the pump reads (its source and a joined stream), for ordering and validation. */
  reads: string[];
  operator(ctx: PumpContext): OperatorFunction<Row, Row>;
}

/** Where names point: streams (sources and in-application) and reference tables. */
export interface Catalog {
  stream(name: string): (Relation & { watermark: WatermarkOptions }) | undefined;
  table(name: string): Relation | undefined;
}

const containsCall = (expr: unknown, test: (call: Extract<Expr, { kind: 'call' }>) => boolean): boolean => {
  if (!expr || typeof expr !== 'object') return false;
  const e = expr as Expr;
  if (e.kind === 'call' && test(e)) return true;
  return Object.values(expr).some((v) => (Array.isArray(v) ? v.some((x) => containsCall(x, test)) : containsCall(v, test)));
};

export function planPump(pump: CreatePump, catalog: Catalog, now: () => number): PumpPlan {
  const select = pump.select;
  const target = catalog.stream(pump.target);
  if (!target) throw SqlError.at(pump.pos, `INSERT INTO an undeclared stream ${pump.target}: CREATE STREAM it first`);
  const source = catalog.stream(select.from.name);
  if (!source) throw SqlError.at(select.from.pos, `unknown stream ${select.from.name}`);
  const sourceRel: Relation = { ...source, alias: select.from.alias };
  const base = { name: pump.name, source: source.name, target: target.name, reads: [source.name] };
  if (select.distinct) throw SqlError.at(select.pos, 'SELECT DISTINCT over a stream is not supported: GROUP BY the columns with a window');
  if (select.having && select.groupBy.length === 0 && !select.stagger) throw SqlError.at(select.having.pos, 'HAVING needs GROUP BY');

  if (select.join) return { ...base, ...planJoin(pump, sourceRel, target, catalog, now) };
  if (select.groupBy.length > 0 || select.stagger) {
    const planned = planWindow(pump, sourceRel, target, source.watermark, now);
    return {
      ...base,
      operator: (ctx) => {
        const window = windowAggregate(planned.spec, { scheduler: ctx.scheduler, time: planned.time, side: ctx.side, state: ctx.state as StateHandle<never> });
        const where = planned.where;
        return where ? pipe(projectRows((row: Row) => (where(row) === true ? row : undefined), ctx.side), window) : window;
      },
    };
  }
  if (containsCall(select.items, (c) => c.over !== undefined)) return { ...base, operator: planSliding(pump, sourceRel, target, now) };
  const aggregate = select.items.find((item) => containsCall(item.expr, (c) => isAggregateName(c.name)));
  if (aggregate) throw SqlError.at(aggregate.expr.pos, 'an aggregate over a stream needs GROUP BY with a window, or OVER a window');

  const scope = rowScope(sourceRel, now);
  const project = rowProjection(pump, scope, sourceRel, target);
  return { ...base, operator: (ctx) => projectRows(project, ctx.side) };
}

/** WHERE then the select list, over one row (or a joined pair). */
function rowProjection<C = Row>(pump: CreatePump, scope: ExprScope, source: Relation, target: Relation, rowtime?: Evaluator): (ctx: C) => Row | undefined {
  const select = pump.select;
  const where = select.where ? compileExpr(select.where, scope) : undefined;
  const items = expandItems(select.items, source).map((item) => compileExpr(item.expr, scope));
  const rowtimeOf = rowtime ?? compileExpr({ kind: 'column', name: 'ROWTIME', quoted: false, pos: select.pos }, scope);
  const build = outputRow(pump, targetColumns(pump, target), items, rowtimeOf);
  if (!where) return build;
  return (ctx: C) => (where(ctx) === true ? build(ctx) : undefined);
}

function planSliding(pump: CreatePump, source: Relation, target: Relation, now: () => number): (ctx: PumpContext) => OperatorFunction<Row, Row> {
  const select = pump.select;
  const scope = rowScope(source, now);
  const named = new Map(select.windows.map((w) => [w.name, w]));
  const windows: SlidingWindow[] = [];
  const byDef = new Map<WindowDef, number>();
  const windowIndex = (call: Extract<Expr, { kind: 'call' }>): number => {
    const def = typeof call.over === 'string' ? named.get(call.over) : call.over;
    if (!def) throw SqlError.at(call.pos, `unknown window ${String(call.over)}`);
    if (!byDef.has(def)) byDef.set(def, windows.push({ rangeMs: def.rangeMs, partitionBy: def.partitionBy.map((e) => compileExpr(e, scope)), aggregates: [] }) - 1);
    return byDef.get(def)!;
  };
  const itemScope: ExprScope = {
    ...scope,
    replace(expr) {
      if (expr.kind !== 'call' || expr.over === undefined) return undefined;
      if (!isAggregateCall({ ...expr, over: undefined })) throw SqlError.at(expr.pos, `${expr.name} is not an aggregate`);
      const w = windowIndex(expr);
      const { accumulator, input } = accumulatorFor(expr);
      const slot = windows[w].aggregates.push({ accumulator, input: input ? compileExpr(input, scope) : undefined }) - 1;
      return (ctx: { values: unknown[][] }) => ctx.values[w][slot];
    },
    column(ref) {
      const read = scope.column(ref);
      return (ctx: { row: Row }) => read(ctx.row);
    },
  };
  const where = select.where ? compileExpr(select.where, scope) : undefined;
  const items = expandItems(select.items, source).map((item) => compileExpr(item.expr, itemScope));
  const build = outputRow(pump, targetColumns(pump, target), items, (ctx: { row: Row }) => ctx.row.ROWTIME);
  const time = compileExpr({ kind: 'column', name: 'ROWTIME', quoted: false, pos: select.pos }, scope);
  const spec = { time, windows, output: (row: Row, values: unknown[][]) => build({ row, values }) };
  return (ctx) => {
    const sliding = slidingAggregate(spec, { side: ctx.side, state: ctx.state as StateHandle<never> });
    return where ? pipe(projectRows((row: Row) => (where(row) === true ? row : undefined), ctx.side), sliding) : sliding;
  };
}

/** Splits ON into its AND-ed parts. */
const conjuncts = (expr: Expr): Expr[] => (expr.kind === 'binary' && expr.op === 'AND' ? [...conjuncts(expr.left), ...conjuncts(expr.right)] : [expr]);

function planJoin(pump: CreatePump, left: Relation, target: Relation, catalog: Catalog, now: () => number): Pick<PumpPlan, 'operator' | 'reads'> {
  const join = pump.select.join!;
  const table = catalog.table(join.source.name);
  const stream = table ? undefined : catalog.stream(join.source.name);
  const rightBase = table ?? stream;
  if (!rightBase) throw SqlError.at(join.source.pos, `unknown stream or table ${join.source.name}`);
  if (pump.select.groupBy.length > 0) throw SqlError.at(pump.select.pos, 'GROUP BY over a join is not supported: join into a stream, then aggregate it in another pump');
  const right: Relation = { ...rightBase, alias: join.source.alias };
  const sides: [Relation, Relation] = [left, right];
  const scope = pairScope(sides, now);
  const parts = conjuncts(join.on);
  const keyPart = parts.find((p) => p.kind === 'binary' && p.op === '=' && p.left.kind === 'column' && p.right.kind === 'column' && sidesOf(p.left, sides).size === 1 && sidesOf(p.right, sides).size === 1 && !sidesOf(p.left, sides).has([...sidesOf(p.right, sides)][0]));
  if (!keyPart || keyPart.kind !== 'binary') throw SqlError.at(join.on.pos, 'ON needs an equality between a column of each side (a.k = b.k)');
  const [leftKeyExpr, rightKeyExpr] = sidesOf(keyPart.left, sides).has(0) ? [keyPart.left, keyPart.right] : [keyPart.right, keyPart.left];
  const leftKey = compileExpr(leftKeyExpr, rowScope(left, now));
  const rightKey = compileExpr(rightKeyExpr, rowScope(right, now));
  const rest = parts.filter((p) => p !== keyPart);
  const residual = rest.length > 0 ? compileExpr(rest.reduce((a, b) => ({ kind: 'binary', op: 'AND', left: a, right: b, pos: a.pos })), scope) : undefined;

  if (table) {
    const output = rowProjection<[Row, Row]>(pump, scope, left, target, (pair: [Row, Row]) => pair[0].ROWTIME);
    const spec = { kind: join.kind, streamKey: leftKey, tableKey: rightKey, residual, output };
    return { reads: [left.name], operator: (ctx) => tableJoin(spec, ctx.table(right.name), ctx.side) };
  }
  if (join.kind === 'LEFT') throw SqlError.at(join.source.pos, 'a join of two streams is INNER only');
  const bounds = rest.map((p) => timeBound(p, sides)).find((b) => b !== undefined);
  if (!bounds) throw SqlError.at(join.on.pos, 'a join of two streams needs a time bound: b.ts BETWEEN a.ts - INTERVAL ... AND a.ts + INTERVAL ...');
  const condition = compileExpr(join.on, scope);
  const output = rowProjection<[Row, Row]>(pump, scope, left, target, (pair: [Row, Row]) => Math.max(pair[0].ROWTIME as number, pair[1].ROWTIME as number));
  const spec = {
    leftKey, rightKey, condition,
    leftTime: compileExpr(bounds.leftTime, rowScope(left, now)),
    rightTime: compileExpr(bounds.rightTime, rowScope(right, now)),
    beforeMs: bounds.beforeMs, afterMs: bounds.afterMs,
    output,
    maxOutOfOrdernessMs: [catalog.stream(left.name)?.watermark.maxOutOfOrdernessMs ?? 0, stream!.watermark.maxOutOfOrdernessMs ?? 0] as [number, number],
  };
  return { reads: [left.name, right.name], operator: (ctx) => intervalJoin(spec, ctx.stream(right.name), { side: ctx.side, state: ctx.state as StateHandle<never> }) };
}

/** `x.t BETWEEN y.t - INTERVAL a AND y.t + INTERVAL b` with x and y on different sides. */
function timeBound(expr: Expr, sides: [Relation, Relation]): { leftTime: Expr; rightTime: Expr; beforeMs: number; afterMs: number } | undefined {
  if (expr.kind !== 'between' || expr.negated) return undefined;
  const offset = (e: Expr): { base: Expr; ms: number } | undefined => {
    if (e.kind === 'binary' && (e.op === '+' || e.op === '-') && e.right.kind === 'interval') return { base: e.left, ms: e.op === '+' ? e.right.ms : -e.right.ms };
    return e.kind === 'column' ? { base: e, ms: 0 } : undefined;
  };
  const low = offset(expr.low);
  const high = offset(expr.high);
  if (!low || !high) return undefined;
  const testSide = [...sidesOf(expr.operand, sides)];
  const baseSide = [...sidesOf(low.base, sides)];
  if (testSide.length !== 1 || baseSide.length !== 1 || testSide[0] === baseSide[0]) return undefined;
  if (testSide[0] === 1) return { leftTime: low.base, rightTime: expr.operand, beforeMs: -low.ms, afterMs: high.ms };
  // a.t BETWEEN b.t - x AND b.t + y  <=>  b.t BETWEEN a.t - y AND a.t + x
  return { leftTime: expr.operand, rightTime: low.base, beforeMs: high.ms, afterMs: -low.ms };
}

