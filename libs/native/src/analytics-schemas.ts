/** The zod schemas of the analytics routes (/v1/analytics): validation, NATS and OpenAPI from one definition. */
import { z } from 'zod';
import { analyticsInput, analyticsOutput, previewInput, STARTING_POSITIONS } from '@shardline/analytics';

const applicationName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/)
  .describe('Application name (1-128 of A-Z a-z 0-9 - _)');

export const applicationParams = z.object({ name: applicationName });
export const liveParams = z.object({
  name: applicationName,
  stream: z.string().min(1).max(128).describe('An in-application stream, error_stream or late_stream (case-insensitive)'),
});

const sql = z.string().min(1).max(100_000).describe('The application SQL: CREATE STREAM and CREATE PUMP statements over SOURCE_SQL_STREAM_001');

export const createApplicationBody = z.object({
  name: applicationName,
  description: z.string().max(1024).optional(),
  input: analyticsInput,
  sql,
  outputs: z.array(analyticsOutput).max(32).default([]),
});

export const updateApplicationBody = z.object({
  description: z.string().max(1024).optional(),
  input: analyticsInput.optional(),
  sql: sql.optional(),
  outputs: z.array(analyticsOutput).max(32).optional(),
});

export const startApplicationBody = z.object({
  startingPosition: z.enum(STARTING_POSITIONS).default('NOW').describe('NOW (new records), TRIM_HORIZON (everything stored) or LAST_STOPPED_POINT (the checkpoint)'),
});

export const applicationView = z.object({
  name: z.string(),
  description: z.string(),
  input: analyticsInput,
  sql: z.string(),
  version: z.number().int(),
  outputs: z.array(analyticsOutput),
  status: z.enum(['READY', 'STARTING', 'RUNNING', 'STOPPED']),
  startingPosition: z.enum(STARTING_POSITIONS).nullable(),
  inAppStreams: z.array(z.string()),
  checkpoint: z.object({ positions: z.record(z.string(), z.number()), savedAt: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const applicationList = z.object({ applications: z.array(applicationView) });
export const applicationDeleted = z.object({ name: z.string(), deleted: z.literal(true) });

export const previewBody = z.object({
  input: previewInput.describe('As an application’s input; without columns (and format) they are discovered from a sample of the stored records'),
  sql: z
    .string()
    .min(1)
    .max(100_000)
    .describe('An application’s CREATE STREAM and CREATE PUMP statements, or one SELECT [STREAM] ... FROM SOURCE_SQL_STREAM_001 (its rows answered as PREVIEW_STREAM)'),
  /** Which in-application stream to return (default: the first the SQL declares). */
  inAppStream: z.string().min(1).max(128).optional(),
  sampleSize: z.number().int().min(1).max(1000).default(100).describe('Records sampled (from TRIM_HORIZON) when the input has no columns'),
  durationMs: z.number().int().min(100).max(30_000).default(5_000).describe('How long to read the live stream'),
  limit: z.number().int().min(1).max(10_000).default(100).describe('Most rows to return (the preview ends early once reached)'),
});

const discoveredColumns = z.array(z.object({ name: z.string(), type: z.string(), path: z.union([z.string(), z.number()]) }));

export const previewView = z.object({
  stream: z.string(),
  rows: z.array(z.record(z.string(), z.unknown())),
  errors: z.array(z.record(z.string(), z.unknown())),
  discovered: z.object({ format: z.enum(['JSON', 'CSV']), columns: discoveredColumns }).optional().describe('The mapping discovered when the input gave no columns'),
});

export const discoverSchemaBody = z.object({
  streamName: z.string().min(1).max(128).optional().describe('The stream to sample (or deliveryStreamName)'),
  deliveryStreamName: z.string().min(1).max(64).optional().describe('A delivery stream to sample instead: a DirectPut one’s stored records, a KinesisStreamAsSource one’s source stream'),
  format: z.enum(['JSON', 'CSV']).optional().describe('The records’ format (detected when left out)'),
  sampleSize: z.number().int().min(1).max(1000).default(100).describe('Most records to read, from TRIM_HORIZON, spread over the shards'),
}).refine((b) => (b.streamName === undefined) !== (b.deliveryStreamName === undefined), { message: 'Give exactly one of streamName and deliveryStreamName', path: ['streamName'] });

export const discoverSchemaView = z.object({
  format: z.enum(['JSON', 'CSV']),
  columns: z.array(z.object({ name: z.string(), type: z.string(), path: z.union([z.string(), z.number()]) })),
  sampledRecords: z.number().int(),
});
