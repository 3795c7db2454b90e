/** Name resolution: which column a reference reads, for one stream or a joined pair. */
import type { Expr, Position, SqlType } from '../parser/ast';
import { SqlError } from '../parser/errors';
import type { ColumnExpr, Evaluator, ExprScope } from './compile-expr';
import type { Column } from './types';

/** The schema of a named stream or table as a pump sees it. */
export interface Relation {
  name: string;
  alias?: string;
  columns: Column[];
}

export const rowtimeType: SqlType = { name: 'TIMESTAMP', params: [] };

/** The stored column name a reference means: exact first, then case-insensitive for unquoted names. */
export function findColumn(relation: Relation, ref: { name: string; quoted: boolean }): string | undefined {
  if (ref.name === 'ROWTIME' || (!ref.quoted && ref.name.toUpperCase() === 'ROWTIME')) return 'ROWTIME';
  const exact = relation.columns.find((c) => c.name === ref.name);
  if (exact) return exact.name;
  if (ref.quoted) return undefined;
  return relation.columns.find((c) => c.name.toUpperCase() === ref.name.toUpperCase())?.name;
}

const matchesQualifier = (relation: Relation, qualifier: string) =>
  [relation.name, relation.alias].some((n) => n !== undefined && n.toUpperCase() === qualifier.toUpperCase());

function unknownColumn(ref: ColumnExpr, where: string): SqlError {
  return SqlError.at(ref.pos, `unknown column ${ref.qualifier ? `${ref.qualifier}.` : ''}${ref.name} in ${where}`);
}

/** Rows of one relation: the context is the row itself. */
export function rowScope(relation: Relation, now: () => number, replace?: (expr: Expr) => Evaluator | undefined): ExprScope {
  return {
    now,
    replace,
    column(ref) {
      if (ref.qualifier && !matchesQualifier(relation, ref.qualifier)) throw unknownColumn(ref, relation.name);
      const name = findColumn(relation, ref);
      if (!name) throw unknownColumn(ref, relation.name);
      return (row) => row[name];
    },
  };
}

/** Which side of a join a column reference reads, and the stored name. */
export function resolveJoinColumn(sides: [Relation, Relation], ref: ColumnExpr): { side: 0 | 1; name: string } {
  const candidates: { side: 0 | 1; name: string }[] = [];
  for (const side of [0, 1] as const) {
    if (ref.qualifier && !matchesQualifier(sides[side], ref.qualifier)) continue;
    const name = findColumn(sides[side], ref);
    if (name) candidates.push({ side, name });
  }
  if (candidates.length === 0) throw unknownColumn(ref, `${sides[0].name} or ${sides[1].name}`);
  if (candidates.length > 1) throw SqlError.at(ref.pos, `column ${ref.name} is ambiguous: qualify it with a stream name or alias`);
  return candidates[0];
}

/** Joined rows: the context is the pair [left, right]. */
export function pairScope(sides: [Relation, Relation], now: () => number): ExprScope {
  return {
    now,
    column(ref) {
      const { side, name } = resolveJoinColumn(sides, ref);
      return (pair) => (pair[side] as Record<string, unknown>)[name];
    },
  };
}

/** The sides an expression's column references read (to split a join condition). */
export function sidesOf(expr: Expr, sides: [Relation, Relation]): Set<0 | 1> {
  const found = new Set<0 | 1>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const e = node as Expr;
    if (e.kind === 'column') {
      found.add(resolveJoinColumn(sides, e).side);
      return;
    }
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object' && !('line' in value)) visit(value);
    }
  };
  visit(expr);
  return found;
}

/** Structural identity of an expression, ignoring positions (GROUP BY expressions in SELECT). */
export function exprKey(expr: Expr): string {
  return JSON.stringify(expr, (key, value: unknown) => (key === 'pos' ? undefined : value));
}

export const positionOf = (expr: { pos: Position }) => expr.pos;
