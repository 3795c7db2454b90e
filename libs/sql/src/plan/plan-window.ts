/**
 * Plans a windowed GROUP BY: finds the window in GROUP BY (STEP, FLOOR(t TO unit), TUMBLE, HOP,
 * SESSION) or in WINDOWED BY STAGGER, decides the time (ROWTIME or PROCTIME() = processing time,
 * any other column = event time with the source's watermark), and compiles the select list over groups.
 */
import type { CreatePump, Expr } from '../parser/ast';
import { SqlError } from '../parser/errors';
import { intervalMs } from '../parser/parser';
import type { GroupResult, WindowAggregateSpec } from '../operators/window-aggregate';
import type { TimeOptions } from '../operators/watermark';
import type { WindowKind } from '../operators/window-assigners';
import { accumulatorFor, isAggregateCall } from './aggregates';
import { compileExpr, type Evaluator, type ExprScope } from './compile-expr';
import { expandItems, outputRow, targetColumns } from './output';
import { exprKey, rowScope, type Relation } from './scope';

type Call = Extract<Expr, { kind: 'call' }>;

/** Watermark settings of a source for event-time windows. */
export type WatermarkOptions = Omit<TimeOptions, 'mode'>;

const windowFunctions = new Set(['STEP', 'TUMBLE', 'HOP', 'SESSION']);
const startFunctions = new Set(['TUMBLE_START', 'HOP_START', 'SESSION_START', 'WINDOW_START']);
const endFunctions = new Set(['TUMBLE_END', 'HOP_END', 'SESSION_END', 'WINDOW_END']);

const isFloorTo = (e: Expr): e is Call => e.kind === 'call' && (e.name === 'FLOOR' || e.name === 'CEIL') && e.args.length === 2;

function intervalArg(call: Call, index: number): number {
  const arg = call.args[index];
  if (!arg || arg.kind !== 'interval') throw SqlError.at(call.pos, `${call.name} needs an INTERVAL as argument ${index + 1}`);
  return arg.ms;
}

function windowKindOf(call: Call): WindowKind {
  switch (call.name) {
    case 'STEP':
    case 'TUMBLE':
      return { kind: 'tumbling', sizeMs: intervalArg(call, 1) };
    case 'HOP':
      return { kind: 'hopping', slideMs: intervalArg(call, 1), sizeMs: intervalArg(call, 2) };
    case 'SESSION':
      return { kind: 'session', gapMs: intervalArg(call, 1) };
    default: {
      const unit = call.args[1];
      if (unit.kind !== 'column') throw SqlError.at(call.pos, `${call.name}(time TO unit) needs a unit such as MINUTE`);
      return { kind: 'tumbling', sizeMs: intervalMs('1', unit.name, unit.pos) };
    }
  }
}

/** Processing time when the window's time is ROWTIME or PROCTIME(); event time otherwise. */
export function timeModeOf(timeExpr: Expr, watermark: WatermarkOptions): TimeOptions {
  const processing = (timeExpr.kind === 'column' && timeExpr.name.toUpperCase() === 'ROWTIME') || (timeExpr.kind === 'call' && timeExpr.name === 'PROCTIME');
  return processing ? { mode: 'processing', allowedLatenessMs: watermark.allowedLatenessMs } : { mode: 'event', ...watermark };
}

function findWindow(pump: CreatePump): { window?: Expr; kind: WindowKind; time: Expr; keys: Expr[] } {
  const select = pump.select;
  if (select.stagger) {
    const rowtime: Expr = { kind: 'column', name: 'ROWTIME', quoted: false, pos: select.stagger.pos };
    return { kind: { kind: 'stagger', sizeMs: select.stagger.rangeMs }, time: rowtime, keys: [...select.stagger.partitionBy, ...select.groupBy] };
  }
  const explicit = select.groupBy.filter((e): e is Call => e.kind === 'call' && windowFunctions.has(e.name));
  if (explicit.length > 1) throw SqlError.at(explicit[1].pos, 'GROUP BY may hold only one window');
  const window = explicit[0] ?? select.groupBy.find(isFloorTo);
  if (!window || window.kind !== 'call') {
    throw SqlError.at(select.pos, 'GROUP BY over a stream needs a window: STEP(ROWTIME BY INTERVAL ...), FLOOR(ROWTIME TO unit), TUMBLE, HOP or SESSION');
  }
  return { window, kind: windowKindOf(window), time: window.args[0], keys: select.groupBy.filter((e) => e !== window) };
}

/** The scope of the select list and HAVING: group keys, aggregates and window bounds. */
function groupScope(keys: Expr[], window: Expr | undefined, aggregates: WindowAggregateSpec['aggregates'], rowScopeOfSource: ExprScope, now: () => number): ExprScope {
  const keyIndex = new Map(keys.map((k, i) => [exprKey(k), i]));
  const windowKey = window ? exprKey(window) : undefined;
  return {
    now,
    replace(expr) {
      const key = exprKey(expr);
      const index = keyIndex.get(key);
      if (index !== undefined) return (g: GroupResult) => g.keys[index];
      if (key === windowKey) return (g: GroupResult) => g.start;
      if (expr.kind === 'column' && expr.name.toUpperCase() === 'ROWTIME') return (g: GroupResult) => g.end;
      if (expr.kind === 'call' && startFunctions.has(expr.name)) return (g: GroupResult) => g.start;
      if (expr.kind === 'call' && endFunctions.has(expr.name)) return (g: GroupResult) => g.end;
      if (isAggregateCall(expr)) {
        const { accumulator, input } = accumulatorFor(expr);
        const slot = aggregates.push({ accumulator, input: input ? compileExpr(input, rowScopeOfSource) : undefined }) - 1;
        return (g: GroupResult) => g.values[slot];
      }
      return undefined;
    },
    column(ref) {
      throw SqlError.at(ref.pos, `column ${ref.name} must appear in GROUP BY or inside an aggregate`);
    },
  };
}

export interface PlannedWindow {
  where?: Evaluator;
  spec: WindowAggregateSpec;
  time: TimeOptions;
}

export function planWindow(pump: CreatePump, source: Relation, target: Relation, watermark: WatermarkOptions, now: () => number): PlannedWindow {
  const select = pump.select;
  const sourceScope = rowScope(source, now);
  const { window, kind, time, keys } = findWindow(pump);
  const aggregates: WindowAggregateSpec['aggregates'] = [];
  const scope = groupScope(keys, window, aggregates, sourceScope, now);
  const items = expandItems(select.items, source).map((item) => compileExpr(item.expr, scope));
  const having = select.having ? compileExpr(select.having, scope) : undefined;
  const build = outputRow(pump, targetColumns(pump, target), items, (g: GroupResult) => g.end);
  const output = having ? (g: GroupResult) => (having(g) === true ? build(g) : undefined) : build;
  return {
    where: select.where ? compileExpr(select.where, sourceScope) : undefined,
    time: timeModeOf(time, watermark),
    spec: { window: kind, time: compileExpr(time, sourceScope), keys: keys.map((k) => compileExpr(k, sourceScope)), aggregates, output },
  };
}
