/**
 * An analytics application's configuration, as stored in Postgres and taken by the REST API:
 * the input stream and how its records become rows, the SQL, the outputs (which in-application
 * stream goes where), and the checkpoint the runtime writes. Zod schemas, so the REST API
 * validates and documents the same shapes the runtime reads back.
 */
import { z } from 'zod';
import type { ApplicationState } from '@shardline/sql';

/** The source stream's name in the SQL (KDA's). */
export const SOURCE_STREAM = 'SOURCE_SQL_STREAM_001';
/** In-application streams the runtime adds: rows that failed, and rows that came after their window closed. */
export const ERROR_STREAM = 'error_stream';
export const LATE_STREAM = 'late_stream';

const sqlName = z.string().min(1).max(128).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a SQL identifier: letters, digits and _');

export const inputColumn = z.object({
  name: sqlName,
  /** SQL type, e.g. VARCHAR(32), DOUBLE, TIMESTAMP. */
  type: z.string().min(1).max(64),
  /** JSON: `$.a.b` or `$.items[0].v` (default `$.<name>`); CSV: the 0-based field index (default: the column's position). */
  path: z.union([z.string().regex(/^\$(\.[^.[\]]+|\[\d+\])*$/, 'a path like $.a.b or $.a[0]'), z.number().int().min(0)]).optional(),
});

export const inputTime = z.object({
  /**
   * processing: windows on ROWTIME/PROCTIME() only; arrival: adds the column APPROXIMATE_ARRIVAL_TIME (the record's
   * arrival in the stream) for event-time windows; eventColumn: windows on `column`, a TIMESTAMP column of the data.
   */
  kind: z.enum(['processing', 'arrival', 'eventColumn']).default('processing'),
  column: sqlName.optional(),
  maxOutOfOrdernessMs: z.number().int().min(0).max(86_400_000).optional(),
  allowedLatenessMs: z.number().int().min(0).max(86_400_000).optional(),
  idleTimeoutMs: z.number().int().min(1).max(86_400_000).optional(),
});

/** A Postgres table stream rows join against (KDA's reference data), read again every refreshMs. */
export const referenceTable = z.object({
  /** The table's name in the SQL. */
  name: sqlName,
  /** The Postgres table, optionally schema.table. */
  table: z.string().regex(/^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/, 'a table name, optionally schema.table'),
  /** The columns the SQL sees, with their SQL types, e.g. { DEVICE_ID: 'VARCHAR(32)', SITE: 'VARCHAR(16)' }. */
  columns: z.record(sqlName, z.string().min(1).max(64)),
  /** postgres://… of the database (default: the metadata database). */
  connectionString: z.string().min(1).optional(),
  refreshMs: z.number().int().min(100).max(86_400_000).default(60_000),
});

/** Where the records come from: one of a Shardline stream and a Firehose delivery stream. */
const inputSource = {
  streamName: z.string().min(1).max(128).optional().describe('A Shardline stream to read (or deliveryStreamName)'),
  deliveryStreamName: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('A Firehose delivery stream to read (or streamName): a DirectPut one’s records, or a KinesisStreamAsSource one’s source stream'),
};
const oneSource = (i: { streamName?: string | undefined; deliveryStreamName?: string | undefined }) => (i.streamName === undefined) !== (i.deliveryStreamName === undefined);
const oneSourceMessage = { message: 'Give exactly one of streamName and deliveryStreamName', path: ['streamName'] };

const inputFields = {
  ...inputSource,
  format: z.enum(['JSON', 'CSV']),
  /** CSV only: the field delimiter (one character). */
  delimiter: z.string().length(1).optional(),
  columns: z.array(inputColumn).min(1).max(256),
  time: inputTime.default({ kind: 'processing' }),
  referenceTables: z.array(referenceTable).max(16).default([]),
};

export const analyticsInput = z.object(inputFields).refine(oneSource, oneSourceMessage);

/** A preview's input: as an application's, but `format` and `columns` may be left out (discovered from a sample). */
export const previewInput = z
  .object({ ...inputFields, format: inputFields.format.optional(), columns: inputFields.columns.optional() })
  .refine(oneSource, oneSourceMessage);

const inAppStream = z.string().min(1).max(128);

export const analyticsOutput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('stream'),
    inAppStream,
    streamName: z.string().min(1).max(128),
    /** The column whose value is the partition key (default: the row's first column). */
    partitionKeyColumn: z.string().min(1).optional(),
  }),
  z.object({ kind: z.literal('deliveryStream'), inAppStream, deliveryStreamName: z.string().min(1).max(64) }),
  z.object({
    kind: z.literal('postgres'),
    inAppStream,
    /** Table name, optionally schema-qualified (`schema.table`). */
    table: z.string().regex(/^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/, 'a table name, optionally schema.table'),
    /** Columns of the table's primary key or unique index: rows upsert on them (empty: plain INSERT). */
    keyColumns: z.array(z.string().min(1)).default([]),
    /** postgres://… of the target database (default: the metadata database). */
    connectionString: z.string().min(1).optional(),
  }),
  z.object({
    kind: z.literal('webhook'),
    inAppStream,
    url: z.url(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Attempts before a batch is given up on (and counted as failed). */
    maxAttempts: z.number().int().min(1).max(20).default(5),
  }),
]);

export type AnalyticsInput = z.output<typeof analyticsInput>;
export type PreviewInput = z.output<typeof previewInput>;
export type AnalyticsOutput = z.output<typeof analyticsOutput>;

export const STARTING_POSITIONS = ['NOW', 'TRIM_HORIZON', 'LAST_STOPPED_POINT'] as const;
export type StartingPosition = (typeof STARTING_POSITIONS)[number];

/**
 * What a restart resumes from: per shard the last JetStream sequence whose rows are in the
 * state, and the compiled application's window state — saved together, after every output
 * row produced before it was written.
 */
export interface AnalyticsCheckpoint {
  positions: Record<string, number>;
  state: ApplicationState;
  savedAt: number;
}
