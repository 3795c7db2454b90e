import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DatabaseError, Pool, PoolClient, PoolConfig } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DeliveryError, FailedRecord, FirehoseRecord } from '../model';
import { RedshiftDestinationSettings } from './config';
import { parseCopyOptions, RowFormat } from './redshift/copy-options';
import { columnNames, quotedName, quoteIdentifier } from './redshift/identifiers';
import { connectionFromJdbcUrl } from './redshift/jdbc-url';
import { copyTextLine, recordRows, Row, RowError, TargetColumn } from './redshift/rows';

/*
 * The Redshift destination on anything that speaks Postgres's protocol. Firehose stages
 * records in S3 and runs `COPY table (columns) FROM 's3://...' <CopyOptions>`; here the
 * records are parsed as those CopyOptions say (JSON 'auto', CSV, delimited text) and
 * streamed with `COPY ... FROM STDIN` in one transaction with a bookkeeping row:
 *
 *   shardline_firehose_loads(delivery_stream, batch_id, loaded_at, failed)
 *
 * A batch id already there means the batch was loaded: a redelivery loads nothing and
 * reports the same failed records, so rows are never duplicated and failures never lost.
 * Postgres aborts a whole COPY on one bad row, so a failed COPY falls back to one COPY per
 * record, each under a savepoint: good records load, bad ones are reported.
 */

/** The batch to load: `batchId` is deterministic (derived from source positions). */
export interface PostgresCopyBatch {
  batchId: string;
  records: FirehoseRecord[];
}

/** Where to load and how to read the records. */
export interface PostgresCopyDeliveryOptions {
  deliveryStream: string;
  connection: PoolConfig;
  table: string;
  /** Column names, already case-folded; all the table's columns when absent. */
  columns?: string[];
  format: RowFormat;
  /** Connections per destination. */
  poolSize?: number;
}

const LOADS_TABLE = 'shardline_firehose_loads';
const CREATE_LOADS_TABLE = `CREATE TABLE IF NOT EXISTS ${LOADS_TABLE} (
  delivery_stream text NOT NULL,
  batch_id text NOT NULL,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  failed jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (delivery_stream, batch_id)
)`;

interface StoredFailure {
  recordId: string;
  errorCode: string;
  errorMessage: string;
}

/** Loads batches into a Postgres (or Redshift) table with COPY, once per batch id. */
export class PostgresCopyDelivery {
  private readonly pool: Pool;
  private readonly table: string;
  private columns?: TargetColumn[];
  private loadsTableReady = false;

  constructor(private readonly options: PostgresCopyDeliveryOptions) {
    this.table = quotedName(options.table, 'DataTableName');
    this.pool = new Pool({ ...options.connection, max: options.poolSize ?? 2 });
    // An idle connection that dies must not crash the process; the next query reports it.
    this.pool.on('error', () => undefined);
  }

  /** Loads the batch; resolves with the records that did not load (type 'redshift-failed'). */
  async deliver(batch: PostgresCopyBatch): Promise<{ failed: FailedRecord[] }> {
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await this.prepare(client);
      return await this.load(client, batch);
    } catch (error) {
      throw postgresDeliveryError(error);
    } finally {
      client?.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async prepare(client: PoolClient): Promise<void> {
    if (!this.loadsTableReady) {
      // Two destinations creating it at once may race on the catalog: serialize them.
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [LOADS_TABLE]);
      try {
        await client.query(CREATE_LOADS_TABLE);
      } finally {
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOADS_TABLE]);
      }
      this.loadsTableReady = true;
    }
    this.columns ??= await this.targetColumns(client);
  }

  private async load(client: PoolClient, batch: PostgresCopyBatch): Promise<{ failed: FailedRecord[] }> {
    await client.query('BEGIN');
    try {
      const claimed = await client.query(
        `INSERT INTO ${LOADS_TABLE} (delivery_stream, batch_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [this.options.deliveryStream, batch.batchId],
      );
      if (claimed.rowCount === 0) {
        await client.query('ROLLBACK');
        return { failed: await this.earlierFailures(client, batch) };
      }
      const failures = await this.copyRecords(client, batch.records);
      await client.query(`UPDATE ${LOADS_TABLE} SET failed = $3 WHERE delivery_stream = $1 AND batch_id = $2`, [
        this.options.deliveryStream,
        batch.batchId,
        JSON.stringify(failures),
      ]);
      await client.query('COMMIT');
      return { failed: failedRecords(batch.records, failures) };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // The table may have changed under a cached column list.
      this.columns = undefined;
      throw error;
    }
  }

  /** Parses every record, COPYs the good ones; on a data error, COPYs record by record. */
  private async copyRecords(client: PoolClient, records: FirehoseRecord[]): Promise<StoredFailure[]> {
    const columns = this.columns ?? [];
    const failures: StoredFailure[] = [];
    const parsed: { record: FirehoseRecord; rows: Row[] }[] = [];
    for (const record of records) {
      try {
        parsed.push({ record, rows: recordRows(record.data, this.options.format, columns) });
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        failures.push({ recordId: record.recordId, errorCode: 'Redshift.DataLoadFailed', errorMessage: error.message });
      }
    }
    const sql = `COPY ${this.table} (${columns.map((c) => quoteIdentifier(c.name)).join(', ')}) FROM STDIN`;
    const all = parsed.flatMap((p) => p.rows);
    if (all.length === 0) return failures;
    if (await this.tryCopy(client, sql, all, 'batch')) return failures;
    for (const { record, rows } of parsed) {
      const error = await this.tryCopy(client, sql, rows, 'record').then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error) failures.push({ recordId: record.recordId, errorCode: 'Redshift.DataLoadFailed', errorMessage: (error as Error).message });
    }
    return failures;
  }

  /**
   * COPYs rows under a savepoint. True when they loaded; false (batch) or a rejection
   * (record) when Postgres refused the data; other errors (connection, table) propagate.
   */
  private async tryCopy(client: PoolClient, sql: string, rows: Row[], scope: 'batch' | 'record'): Promise<boolean> {
    if (rows.length === 0) return true;
    await client.query('SAVEPOINT shardline_copy');
    try {
      await pipeline(Readable.from([rows.map(copyTextLine).join('')]), client.query(copyFrom(sql)));
      await client.query('RELEASE SAVEPOINT shardline_copy');
      return true;
    } catch (error) {
      if (!isDataError(error)) throw error;
      await client.query('ROLLBACK TO SAVEPOINT shardline_copy');
      if (scope === 'record') throw error;
      return false;
    }
  }

  private async earlierFailures(client: PoolClient, batch: PostgresCopyBatch): Promise<FailedRecord[]> {
    const stored = await client.query<{ failed: StoredFailure[] }>(
      `SELECT failed FROM ${LOADS_TABLE} WHERE delivery_stream = $1 AND batch_id = $2`,
      [this.options.deliveryStream, batch.batchId],
    );
    return failedRecords(batch.records, stored.rows[0]?.failed ?? []);
  }

  /** The columns to load, in order, with whether each is text-like (typcategory 'S'). */
  private async targetColumns(client: PoolClient): Promise<TargetColumn[]> {
    const result = await client.query<{ name: string; category: string }>(
      `SELECT a.attname AS name, t.typcategory AS category
         FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum`,
      [this.table],
    );
    const byName = new Map(result.rows.map((row) => [row.name, row.category === 'S']));
    const names = this.options.columns ?? result.rows.map((row) => row.name);
    return names.map((name) => {
      const stringLike = byName.get(name);
      if (stringLike === undefined) {
        throw new DeliveryError(`Column ${name} does not exist in ${this.options.table}.`, 'Redshift.ColumnNotFound', true);
      }
      return { name, stringLike };
    });
  }
}

function failedRecords(records: FirehoseRecord[], failures: StoredFailure[]): FailedRecord[] {
  const byId = new Map(records.map((record) => [record.recordId, record]));
  return failures.flatMap((failure) => {
    const record = byId.get(failure.recordId);
    return record
      ? [{ record, type: 'redshift-failed' as const, errorCode: failure.errorCode, errorMessage: failure.errorMessage, attemptsMade: 1 }]
      : [];
  });
}

/** Data exceptions (22xxx: bad value for a type) and integrity violations (23xxx: NOT NULL, CHECK, ...). */
function isDataError(error: unknown): boolean {
  const code = (error as DatabaseError)?.code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/** Postgres SQLSTATEs as Firehose's Redshift error codes. */
const REDSHIFT_ERROR_CODES: Record<string, string> = {
  '42P01': 'Redshift.TableNotFound',
  '3F000': 'Redshift.TableNotFound',
  '42703': 'Redshift.ColumnNotFound',
  '42501': 'Redshift.InsufficientPrivilege',
  '28P01': 'Redshift.AuthenticationFailed',
  '28000': 'Redshift.AuthenticationFailed',
  '3D000': 'Redshift.DatabaseNotFound',
  '25006': 'Redshift.ReadOnlyCluster',
  '53100': 'Redshift.DiskFull',
  '42601': 'Redshift.SyntaxError',
};

/**
 * Failures of a whole load as DeliveryErrors, all retryable: Firehose retries a Redshift
 * load for RetryOptions.DurationInSeconds (default 3600 s) whatever the cause, since a
 * missing table or a cluster in maintenance can be fixed meanwhile (developer guide,
 * "Data delivery failure handling", Amazon Redshift).
 */
export function postgresDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  if (error instanceof DatabaseError) {
    const sqlState = error.code ?? '';
    const code = REDSHIFT_ERROR_CODES[sqlState] ?? (sqlState.startsWith('08') ? 'Redshift.ConnectionFailed' : 'InternalError');
    return new DeliveryError(`${error.message} (SQLSTATE ${sqlState})`, code, true);
  }
  return new DeliveryError(`The connection to the database failed: ${(error as Error)?.message}`, 'Redshift.ConnectionFailed', true);
}

/** The delivery for a CreateDeliveryStream RedshiftDestinationConfiguration. */
export function postgresCopyDeliveryFrom(
  destination: RedshiftDestinationSettings,
  options: { deliveryStream: string; poolSize?: number },
): PostgresCopyDelivery {
  const copy = destination.CopyCommand;
  if (!copy?.DataTableName) throw new DeliveryError('CopyCommand.DataTableName is required.', 'Redshift.SyntaxError', false);
  return new PostgresCopyDelivery({
    deliveryStream: options.deliveryStream,
    poolSize: options.poolSize,
    connection: connectionFromJdbcUrl(destination.ClusterJDBCURL ?? '', destination.Username, destination.Password),
    table: copy.DataTableName,
    columns: copy.DataTableColumns ? columnNames(copy.DataTableColumns) : undefined,
    format: parseCopyOptions(copy.CopyOptions),
  });
}
