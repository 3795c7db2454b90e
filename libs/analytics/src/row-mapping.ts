/**
 * Turns a stream record into a source row by the application's input mapping: JSON records by
 * a path per column (`$.a.b`, `$.a[0]`), CSV records by field index. Values stay as read; the
 * compiled application converts them to the declared SQL types (and sends a row it cannot
 * convert to the error stream).
 */
import type { Row, SourceDefinition } from '@shardline/sql';
import { splitCsv } from './csv';
import type { AnalyticsInput } from './model';

/** The column of the record's arrival time, added when the input's time is `arrival`. */
export const ARRIVAL_COLUMN = 'APPROXIMATE_ARRIVAL_TIME';

type Step = string | number;

/** `$.a.b[0]` as ['a', 'b', 0]. */
export function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  const pattern = /\.([^.[\]]+)|\[(\d+)\]/g;
  for (const match of path.slice(1).matchAll(pattern)) steps.push(match[1] !== undefined ? match[1] : Number(match[2]));
  return steps;
}

function at(value: unknown, steps: Step[]): unknown {
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current === undefined ? null : current;
}

/** Reads one record's bytes into a row; throws when the record is not of the input's format. */
export type RowMapper = (data: Uint8Array, arrival: number) => Row;

export function rowMapper(input: AnalyticsInput): RowMapper {
  const withArrival = input.time.kind === 'arrival';
  if (input.format === 'JSON') {
    const columns = input.columns.map((c) => ({ name: c.name, steps: typeof c.path === 'string' ? parsePath(c.path) : [c.name] }));
    return (data, arrival) => {
      const json: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
      const row: Row = {};
      for (const column of columns) row[column.name] = at(json, column.steps);
      if (withArrival) row[ARRIVAL_COLUMN] = arrival;
      return row;
    };
  }
  const columns = input.columns.map((c, position) => ({ name: c.name, index: typeof c.path === 'number' ? c.path : position }));
  return (data, arrival) => {
    const fields = splitCsv(Buffer.from(data).toString('utf8'), input.delimiter ?? ',');
    const row: Row = {};
    for (const column of columns) {
      const value = fields[column.index];
      row[column.name] = value === undefined || value === '' ? null : value;
    }
    if (withArrival) row[ARRIVAL_COLUMN] = arrival;
    return row;
  };
}

/** The SQL source the input defines: its columns' types and watermark options. */
export function sourceDefinition(input: AnalyticsInput): SourceDefinition {
  const columns: Record<string, string> = {};
  for (const column of input.columns) columns[column.name] = column.type;
  if (input.time.kind === 'arrival') columns[ARRIVAL_COLUMN] = 'TIMESTAMP';
  const { maxOutOfOrdernessMs, allowedLatenessMs, idleTimeoutMs } = input.time;
  const watermark = {
    ...(maxOutOfOrdernessMs !== undefined ? { maxOutOfOrdernessMs } : {}),
    ...(allowedLatenessMs !== undefined ? { allowedLatenessMs } : {}),
    ...(idleTimeoutMs !== undefined ? { idleTimeoutMs } : {}),
  };
  return { columns, watermark };
}
