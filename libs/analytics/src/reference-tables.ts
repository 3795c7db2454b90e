/**
 * Reference tables (KDA's reference data): rows of a Postgres table that stream rows join
 * against, read when the application starts and read again every `refreshMs`; each read
 * replaces the whole table in the join. Columns are matched case-insensitively (SQL folds
 * unquoted names to upper case, Postgres to lower case); dates become epoch milliseconds.
 */
import { Pool } from 'pg';
import { Observable } from 'rxjs';
import type { Row } from '@shardline/sql';
import type { AnalyticsInput } from './model';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface ReferenceTables {
  tables: Record<string, Observable<readonly Row[]>>;
  close(): Promise<void>;
}

/** The SQL definitions of the input's reference tables (for compiling). */
export function tableDefinitions(input: AnalyticsInput): Record<string, { columns: Record<string, string> }> {
  return Object.fromEntries(input.referenceTables.map((t) => [t.name, { columns: t.columns }]));
}

export function referenceTables(input: AnalyticsInput, defaultUrl: string, onError: (err: unknown) => void): ReferenceTables {
  const pools = new Map<string, Pool>();
  const poolFor = (url: string) => {
    let pool = pools.get(url);
    if (!pool) {
      pool = new Pool({ connectionString: url, max: 1 });
      pool.on('error', () => undefined);
      pools.set(url, pool);
    }
    return pool;
  };
  const tables: ReferenceTables['tables'] = {};
  for (const spec of input.referenceTables) {
    const pool = poolFor(spec.connectionString ?? defaultUrl);
    const sql = `SELECT * FROM ${spec.table.split('.').map(quote).join('.')}`;
    const columns = Object.keys(spec.columns);
    tables[spec.name] = new Observable<readonly Row[]>((subscriber) => {
      let stopped = false;
      let timer: NodeJS.Timeout | undefined;
      const read = async () => {
        try {
          const { rows } = await pool.query<Record<string, unknown>>(sql);
          if (!stopped) subscriber.next(rows.map((row) => toRow(row, columns)));
        } catch (err) {
          onError(err);
        }
        if (!stopped) timer = setTimeout(() => void read(), spec.refreshMs);
      };
      void read();
      return () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      };
    });
  }
  return { tables, close: async () => void (await Promise.all([...pools.values()].map((p) => p.end().catch(() => undefined)))) };
}

function toRow(source: Record<string, unknown>, columns: string[]): Row {
  const byLower = new Map(Object.entries(source).map(([k, v]) => [k.toLowerCase(), v]));
  const row: Row = {};
  for (const column of columns) {
    const value = column in source ? source[column] : byLower.get(column.toLowerCase());
    row[column] = value instanceof Date ? value.getTime() : value === undefined ? null : value;
  }
  return row;
}
