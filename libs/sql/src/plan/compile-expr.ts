/**
 * Compiles an expression tree to a JS closure once, so rows are evaluated without walking the AST.
 * SQL's NULL rules: arithmetic and comparisons with NULL give NULL; AND/OR are three-valued.
 */
import type { Expr } from '../parser/ast';
import { SqlError } from '../parser/errors';
import { isAggregateName } from './aggregates';
import { scalarFunctions } from './functions';
import { castValue } from './types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the context is a row, a pair of rows or a group
export type Evaluator = (ctx: any) => unknown;

export type ColumnExpr = Extract<Expr, { kind: 'column' }>;

/** How names and special forms resolve where an expression is compiled. */
export interface ExprScope {
  /** A closure reading the column, or a thrown SqlError naming it. */
  column(ref: ColumnExpr): Evaluator;
  /** A closure standing for the whole expression (a group key, an aggregate, a window bound), if any. */
  replace?(expr: Expr): Evaluator | undefined;
  /** Processing time, for CURRENT_TIMESTAMP and PROCTIME(). */
  now(): number;
}

const isNull = (value: unknown) => value === null || value === undefined;
const timeFunctions = new Set(['CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'CURRENT_ROW_TIMESTAMP', 'PROCTIME', 'NOW']);

export function compileExpr(expr: Expr, scope: ExprScope): Evaluator {
  const replaced = scope.replace?.(expr);
  if (replaced) return replaced;
  switch (expr.kind) {
    case 'literal': {
      const value = expr.value;
      return () => value;
    }
    case 'interval': {
      const ms = expr.ms;
      return () => ms;
    }
    case 'column':
      if (!expr.qualifier && !expr.quoted && timeFunctions.has(expr.name)) return () => scope.now();
      return scope.column(expr);
    case 'star':
      throw SqlError.at(expr.pos, '* is only allowed in COUNT(*) or as the whole select list');
    case 'unary':
      return compileUnary(expr, scope);
    case 'binary':
      return compileBinary(expr.op, compileExpr(expr.left, scope), compileExpr(expr.right, scope));
    case 'isNull': {
      const operand = compileExpr(expr.operand, scope);
      return expr.negated ? (ctx) => !isNull(operand(ctx)) : (ctx) => isNull(operand(ctx));
    }
    case 'between':
      return compileBetween(expr, scope);
    case 'in':
      return compileIn(expr, scope);
    case 'like':
      return compileLike(expr, scope);
    case 'case':
      return compileCase(expr, scope);
    case 'cast': {
      const operand = compileExpr(expr.operand, scope);
      const type = expr.type;
      return (ctx) => castValue(operand(ctx), type);
    }
    case 'call':
      return compileCall(expr, scope);
  }
}

function compileUnary(expr: Extract<Expr, { kind: 'unary' }>, scope: ExprScope): Evaluator {
  const operand = compileExpr(expr.operand, scope);
  if (expr.op === '-') {
    return (ctx) => {
      const value = operand(ctx);
      return isNull(value) ? null : -(value as number);
    };
  }
  return (ctx) => {
    const value = operand(ctx);
    return isNull(value) ? null : !value;
  };
}

type Binary = (a: never, b: never) => unknown;
const binaryOps: Record<string, Binary> = {
  '+': (a: number, b: number) => a + b,
  '-': (a: number, b: number) => a - b,
  '*': (a: number, b: number) => a * b,
  '/': (a: number, b: number) => {
    if (b === 0) throw new RangeError('division by zero');
    return a / b;
  },
  '%': (a: number, b: number) => a % b,
  '||': (a: unknown, b: unknown) => `${String(a)}${String(b)}`,
  '=': (a: unknown, b: unknown) => a === b,
  '<>': (a: unknown, b: unknown) => a !== b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
};

function compileBinary(op: string, left: Evaluator, right: Evaluator): Evaluator {
  if (op === 'AND') {
    return (ctx) => {
      const a = left(ctx);
      if (a === false) return false;
      const b = right(ctx);
      if (b === false) return false;
      return isNull(a) || isNull(b) ? null : true;
    };
  }
  if (op === 'OR') {
    return (ctx) => {
      const a = left(ctx);
      if (a === true) return true;
      const b = right(ctx);
      if (b === true) return true;
      return isNull(a) || isNull(b) ? null : false;
    };
  }
  const apply = binaryOps[op] as (a: unknown, b: unknown) => unknown;
  return (ctx) => {
    const a = left(ctx);
    const b = right(ctx);
    return isNull(a) || isNull(b) ? null : apply(a, b);
  };
}

function compileBetween(expr: Extract<Expr, { kind: 'between' }>, scope: ExprScope): Evaluator {
  const [operand, low, high] = [expr.operand, expr.low, expr.high].map((e) => compileExpr(e, scope));
  const negated = expr.negated;
  return (ctx) => {
    const value = operand(ctx) as number;
    const lo = low(ctx) as number;
    const hi = high(ctx) as number;
    if (isNull(value) || isNull(lo) || isNull(hi)) return null;
    return (value >= lo && value <= hi) !== negated;
  };
}

function compileIn(expr: Extract<Expr, { kind: 'in' }>, scope: ExprScope): Evaluator {
  const operand = compileExpr(expr.operand, scope);
  const list = expr.list.map((item) => compileExpr(item, scope));
  const negated = expr.negated;
  return (ctx) => {
    const value = operand(ctx);
    if (isNull(value)) return null;
    for (const item of list) if (item(ctx) === value) return !negated;
    return negated;
  };
}

function likeRegExp(pattern: string): RegExp {
  const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${source}$`, 's');
}

function compileLike(expr: Extract<Expr, { kind: 'like' }>, scope: ExprScope): Evaluator {
  const operand = compileExpr(expr.operand, scope);
  const negated = expr.negated;
  const fixed = expr.pattern.kind === 'literal' && typeof expr.pattern.value === 'string' ? likeRegExp(expr.pattern.value) : undefined;
  const pattern = compileExpr(expr.pattern, scope);
  return (ctx) => {
    const value = operand(ctx);
    if (isNull(value)) return null;
    const regExp = fixed ?? likeRegExp(String(pattern(ctx)));
    return regExp.test(String(value)) !== negated;
  };
}

function compileCase(expr: Extract<Expr, { kind: 'case' }>, scope: ExprScope): Evaluator {
  const operand = expr.operand ? compileExpr(expr.operand, scope) : undefined;
  const whens = expr.whens.map(({ when, then }) => ({ when: compileExpr(when, scope), then: compileExpr(then, scope) }));
  const otherwise = expr.otherwise ? compileExpr(expr.otherwise, scope) : () => null;
  if (operand) {
    return (ctx) => {
      const value = operand(ctx);
      for (const branch of whens) if (branch.when(ctx) === value) return branch.then(ctx);
      return otherwise(ctx);
    };
  }
  return (ctx) => {
    for (const branch of whens) if (branch.when(ctx) === true) return branch.then(ctx);
    return otherwise(ctx);
  };
}

/** `FLOOR(ts TO MINUTE)`, `EXTRACT(HOUR FROM ts)`: a bare unit name is a word, not a column. */
function unitArgument(arg: Expr): Expr {
  return arg.kind === 'column' && !arg.qualifier && !arg.quoted ? { kind: 'literal', value: arg.name, pos: arg.pos } : arg;
}

function compileCall(expr: Extract<Expr, { kind: 'call' }>, scope: ExprScope): Evaluator {
  const name = expr.name;
  if (isAggregateName(name)) throw SqlError.at(expr.pos, `aggregate ${name} is not allowed here`);
  if (timeFunctions.has(name) && expr.args.length === 0) return () => scope.now();
  if (name === 'STEP') return compileStep(expr, scope);
  const fn = scalarFunctions[name];
  if (!fn) throw SqlError.at(expr.pos, `unknown function ${name}`);
  if (expr.args.length < fn.minArgs || expr.args.length > fn.maxArgs) {
    throw SqlError.at(expr.pos, `${name} takes ${fn.minArgs === fn.maxArgs ? fn.minArgs : `${fn.minArgs} to ${fn.maxArgs}`} arguments, not ${expr.args.length}`);
  }
  const rawArgs = name === 'EXTRACT' ? [unitArgument(expr.args[0]), ...expr.args.slice(1)]
    : (name === 'FLOOR' || name === 'CEIL') && expr.args.length === 2 ? [expr.args[0], unitArgument(expr.args[1])]
    : expr.args;
  const args = rawArgs.map((arg) => compileExpr(arg, scope));
  const body = fn.fn;
  const nullAware = fn.nullAware === true;
  if (args.length === 1) {
    const [a] = args;
    return (ctx) => {
      const value = a(ctx);
      return !nullAware && isNull(value) ? null : body(value);
    };
  }
  return (ctx) => {
    const values = args.map((arg) => arg(ctx));
    return !nullAware && values.some(isNull) ? null : body(...values);
  };
}

/** KDA's `STEP(ts BY INTERVAL 'n' unit)`: the start of the n-unit step holding ts. */
function compileStep(expr: Extract<Expr, { kind: 'call' }>, scope: ExprScope): Evaluator {
  const [timeArg, stepArg] = expr.args;
  if (expr.args.length !== 2 || stepArg.kind !== 'interval') throw SqlError.at(expr.pos, 'STEP takes (time BY INTERVAL ...)');
  const time = compileExpr(timeArg, scope);
  const ms = stepArg.ms;
  return (ctx) => {
    const value = time(ctx);
    return isNull(value) ? null : Math.floor((value as number) / ms) * ms;
  };
}
