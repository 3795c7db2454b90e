import type {
  Context,
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from './types';

/** An async transform of a whole batch. */
export type TransformFunction = (event: FirehoseTransformationEvent, context: Context) => Promise<FirehoseTransformationResult>;

/** Types a handler: `export const handler = defineTransform(async (event) => ...)` (the value is the function itself). */
export function defineTransform(transform: TransformFunction): TransformFunction {
  return transform;
}

/** A transform of one record's bytes: return new bytes (or a string), null to drop it; throw to fail it. */
export type RecordTransform = (
  data: Buffer,
  record: FirehoseTransformationEventRecord,
  context: Context,
) => Promise<RecordAnswer> | RecordAnswer;

/** What a per-record transform returns: new data, new data with partition keys, or null (Dropped). */
export type RecordAnswer = Buffer | string | null | { data: Buffer | string; partitionKeys?: Record<string, string> };

/** A whole-batch handler from a per-record function: a record whose function throws is ProcessingFailed. */
export function transformRecords(transform: RecordTransform): TransformFunction {
  return async (event, context) => ({
    records: await Promise.all(event.records.map((record) => one(transform, record, context))),
  });
}

async function one(transform: RecordTransform, record: FirehoseTransformationEventRecord, context: Context): Promise<FirehoseTransformationResultRecord> {
  try {
    const answer = await transform(Buffer.from(record.data, 'base64'), record, context);
    if (answer === null) return dropped(record);
    if (typeof answer === 'string' || Buffer.isBuffer(answer)) return ok(record, answer);
    return ok(record, answer.data, answer.partitionKeys);
  } catch {
    return processingFailed(record);
  }
}

const base64 = (data: Buffer | string) => (typeof data === 'string' ? Buffer.from(data) : data).toString('base64');

/** An Ok answer with new data (bytes, or text as UTF-8) and optional partition keys. */
export function ok(record: { recordId: string }, data: Buffer | string, partitionKeys?: Record<string, string>): FirehoseTransformationResultRecord {
  return { recordId: record.recordId, result: 'Ok', data: base64(data), ...(partitionKeys ? { metadata: { partitionKeys } } : {}) };
}

/** A Dropped answer: the record is not delivered (and is not an error). */
export function dropped(record: { recordId: string; data?: string }): FirehoseTransformationResultRecord {
  return { recordId: record.recordId, result: 'Dropped', data: record.data ?? '' };
}

/** A ProcessingFailed answer: the record goes to the error output. */
export function processingFailed(record: { recordId: string; data?: string }): FirehoseTransformationResultRecord {
  return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data ?? '' };
}
