/**
 * An application's plan: the declared streams (sources given by the caller, in-application streams
 * from CREATE STREAM), reference tables, and one plan per pump, checked before anything runs.
 */
import type { SqlType, Statement } from '../parser/ast';
import { SqlError } from '../parser/errors';
import { parseSql, parseSqlType } from '../parser/parser';
import { planPump, type Catalog, type PumpPlan } from './plan-pump';
import type { WatermarkOptions } from './plan-window';
import type { Relation } from './scope';
import type { Column } from './types';

/** Column types as SQL text, e.g. `{ DEVICE: 'VARCHAR(16)', TEMPERATURE: 'DOUBLE' }`. */
export type ColumnTypes = Record<string, string>;

/** An input stream of the application (e.g. SOURCE_SQL_STREAM_001). */
export interface SourceDefinition {
  columns: ColumnTypes;
  /** For event-time windows over this source (a window whose time is a column, not ROWTIME). */
  watermark?: WatermarkOptions;
}

export interface ApplicationDefinition {
  sources: Record<string, SourceDefinition>;
  /** Reference tables, joinable by stream rows; their rows are given when the application starts. */
  tables?: Record<string, { columns: ColumnTypes }>;
  /** In-application streams the caller declares instead of a CREATE STREAM (a preview's result, of ANY columns). */
  declared?: Record<string, Column[]>;
}

export interface StreamPlan extends Relation {
  kind: 'source' | 'in-application';
  watermark: WatermarkOptions;
}

export interface ApplicationPlan {
  streams: Map<string, StreamPlan>;
  tables: Map<string, Relation>;
  pumps: PumpPlan[];
}

const toColumns = (types: ColumnTypes): Column[] =>
  Object.entries(types).map(([name, type]): Column => ({ name, type: parseSqlType(type) as SqlType }));

export function planApplication(sql: string, definition: ApplicationDefinition, now: () => number): ApplicationPlan {
  const statements = parseSql(sql);
  const streams = new Map<string, StreamPlan>();
  for (const [name, source] of Object.entries(definition.sources)) {
    streams.set(name, { kind: 'source', name, columns: toColumns(source.columns), watermark: source.watermark ?? {} });
  }
  const tables = new Map<string, Relation>(Object.entries(definition.tables ?? {}).map(([name, t]) => [name, { name, columns: toColumns(t.columns) }]));
  for (const [name, columns] of Object.entries(definition.declared ?? {})) streams.set(name, { kind: 'in-application', name, columns, watermark: {} });
  for (const statement of statements) {
    if (statement.kind !== 'createStream') continue;
    if (definition.sources[statement.name]) throw SqlError.at(statement.pos, `${statement.name} is an input stream of the application`);
    streams.set(statement.name, { kind: 'in-application', name: statement.name, columns: statement.columns, watermark: {} });
  }
  const lookup = <T>(map: Map<string, T>, name: string) => map.get(name) ?? [...map.entries()].find(([key]) => key.toUpperCase() === name.toUpperCase())?.[1];
  const catalog: Catalog = { stream: (name) => lookup(streams, name), table: (name) => lookup(tables, name) };
  const pumps: PumpPlan[] = [];
  for (const statement of statements) {
    if (statement.kind !== 'createPump') continue;
    if (pumps.some((p) => p.name === statement.name)) throw SqlError.at(statement.pos, `pump ${statement.name} is declared twice`);
    const pump = planPump(statement, catalog, now);
    if (streams.get(pump.target)?.kind === 'source') throw SqlError.at(statement.pos, `a pump cannot write into the input stream ${pump.target}`);
    pumps.push(pump);
  }
  rejectCycles(pumps, statements);
  return { streams, tables, pumps };
}

/** A pump that (through other pumps) reads what it writes would feed itself forever. */
function rejectCycles(pumps: PumpPlan[], statements: Statement[]): void {
  const writersOf = new Map<string, PumpPlan[]>();
  for (const pump of pumps) writersOf.set(pump.target, [...(writersOf.get(pump.target) ?? []), pump]);
  const upstream = (pump: PumpPlan, seen: Set<PumpPlan>): boolean =>
    pump.reads.some((stream) => (writersOf.get(stream) ?? []).some((writer) => {
      if (seen.has(writer)) return writer === [...seen][0];
      seen.add(writer);
      return upstream(writer, seen);
    }));
  for (const pump of pumps) {
    if (upstream(pump, new Set([pump]))) {
      const statement = statements.find((s) => s.kind === 'createPump' && s.name === pump.name)!;
      throw SqlError.at(statement.pos, `pump ${pump.name} reads, through pumps, the stream it writes: ${pump.target}`);
    }
  }
}
