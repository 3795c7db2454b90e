/**
 * Writes rows into a Postgres table: INSERT, or with key columns INSERT ... ON CONFLICT (keys)
 * DO UPDATE, so a window result written again after a restart replaces itself (outputs are at
 * least once; an upsert makes them idempotent). Row properties match the table's columns
 * case-insensitively (SQL folds unquoted names to upper case, Postgres to lower case); epoch
 * milliseconds go into timestamp columns as dates.
 */
import { Pool } from 'pg';
import type { Row } from '@shardline/sql';
import { withRetries, type RowSink } from './sink';

interface TableColumn {
  name: string;
  timestamp: boolean;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export class PostgresSink implements RowSink {
  private readonly pool: Pool;
  private columns?: TableColumn[];

  constructor(
    connectionString: string,
    private readonly table: string,
    private readonly keyColumns: readonly string[],
    private readonly initialBackoffMs = 500,
  ) {
    this.pool = new Pool({ connectionString, max: 2 });
    this.pool.on('error', () => undefined);
  }

  async write(rows: readonly Row[]): Promise<void> {
    const columns = await this.tableColumns();
    const keys = this.keyColumns.map((k) => k.toLowerCase());
    // One statement cannot update the same key twice: the last row of a key wins.
    const byKey = new Map<string, Row>();
    rows.forEach((row, i) => byKey.set(keys.length ? JSON.stringify(keys.map((k) => valueOf(row, k))) : String(i), row));
    const batch = [...byKey.values()];
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${columns.map((column) => {
      const value = valueOf(row, column.name);
      values.push(column.timestamp && typeof value === 'number' ? new Date(value) : value);
      return `$${values.length}`;
    }).join(', ')})`);
    const names = columns.map((c) => quote(c.name)).join(', ');
    const updates = columns.filter((c) => !keys.includes(c.name)).map((c) => `${quote(c.name)} = EXCLUDED.${quote(c.name)}`);
    const conflict = keys.length ? ` ON CONFLICT (${keys.map(quote).join(', ')}) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}` : '';
    const sql = `INSERT INTO ${this.qualifiedTable()} (${names}) VALUES ${tuples.join(', ')}${conflict}`;
    await withRetries(() => this.pool.query(sql, values), { attempts: 5, initialMs: this.initialBackoffMs, retriable: retriablePgError });
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private qualifiedTable(): string {
    return this.table.split('.').map(quote).join('.');
  }

  private async tableColumns(): Promise<TableColumn[]> {
    if (this.columns) return this.columns;
    const [schema, table] = this.table.includes('.') ? this.table.split('.') : [undefined, this.table];
    const { rows } = await this.pool.query<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM information_schema.columns
       WHERE table_name = $1 AND table_schema = COALESCE($2, current_schema()) ORDER BY ordinal_position`,
      [table, schema ?? null],
    );
    if (rows.length === 0) throw new Error(`postgres output: no table ${this.table}`);
    this.columns = rows.map((r) => ({ name: r.column_name, timestamp: r.data_type.startsWith('timestamp') || r.data_type === 'date' }));
    return this.columns;
  }
}

/** The row's value for a table column, by case-insensitive name (NULL when the row has none). */
function valueOf(row: Row, column: string): unknown {
  if (column in row) return row[column];
  const upper = column.toUpperCase();
  if (upper in row) return row[upper];
  const key = Object.keys(row).find((k) => k.toLowerCase() === column);
  return key === undefined ? null : row[key];
}

/** Connection failures and serialization conflicts are worth another try; a wrong column is not. */
function retriablePgError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  if (!code) return true;
  return code.startsWith('08') || code === '40001' || code === '40P01' || code === '57P01';
}
