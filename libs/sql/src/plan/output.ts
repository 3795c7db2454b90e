/** The row a pump inserts: select items matched by position to the target stream's columns, cast to their types. */
import type { CreatePump, Expr, SelectItem } from '../parser/ast';
import { SqlError } from '../parser/errors';
import type { Evaluator } from './compile-expr';
import type { Relation } from './scope';
import { findColumn } from './scope';
import { castValue, type Column, type Row } from './types';

/** The target columns a pump fills, in order (its INSERT column list, or all of the stream's). */
export function targetColumns(pump: CreatePump, target: Relation): Column[] {
  if (!pump.columns) return target.columns;
  return pump.columns.map((name) => {
    const column = target.columns.find((c) => c.name === findColumn(target, { name, quoted: false }));
    if (!column) throw SqlError.at(pump.pos, `stream ${target.name} has no column ${name}`);
    return column;
  });
}

/** `SELECT *` expands to the source's columns (by name into the target). */
export function expandItems(items: SelectItem[], source: Relation): SelectItem[] {
  return items.flatMap((item) =>
    item.expr.kind === 'star'
      ? source.columns.map((c) => ({ expr: { kind: 'column', name: c.name, quoted: true, pos: item.expr.pos } as Expr, alias: c.name }))
      : [item],
  );
}

/** Builds the output row function: ROWTIME first, then each target column from its select item. */
export function outputRow(pump: CreatePump, columns: Column[], items: Evaluator[], rowtime: Evaluator): (ctx: unknown) => Row {
  if (items.length !== columns.length) {
    throw SqlError.at(pump.select.pos, `SELECT gives ${items.length} columns but ${pump.target} takes ${columns.length}`);
  }
  const names = columns.map((c) => c.name);
  const types = columns.map((c) => c.type);
  const width = names.length;
  return (ctx) => {
    const row: Row = { ROWTIME: rowtime(ctx) };
    for (let i = 0; i < width; i++) {
      const value = items[i](ctx);
      const type = types[i];
      // Fast path: numbers into DOUBLE and strings into unbounded VARCHAR need no conversion.
      row[names[i]] = (typeof value === 'number' && (type.name === 'DOUBLE' || type.name === 'REAL' || type.name === 'TIMESTAMP')) ||
        (typeof value === 'string' && type.name === 'VARCHAR' && type.params.length === 0)
        ? value
        : castValue(value, type);
    }
    return row;
  };
}
