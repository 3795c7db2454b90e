import type { FirehoseRecordMetadata } from '../types';
import { TransformBatchError } from './errors';
import type { EventEnvelope, InvokePayload, ResultPayload } from './protocol';

/** A record as the host hands it to a transform (FirehoseRecord of @shardline/firehose fits). */
export interface TransformInputRecord {
  recordId: string;
  data: Buffer;
  approximateArrivalTimestamp: number;
  kinesisRecordMetadata?: {
    shardId: string;
    partitionKey: string;
    approximateArrivalTimestamp: number;
    sequenceNumber: string;
    subsequenceNumber?: number;
  };
}

/** A record the transform answered Ok: its new data and the partition keys it returned. */
export interface TransformedRecord<R> {
  record: R;
  data: Buffer;
  partitionKeys?: Record<string, string>;
}

/** What a transform made of a batch, each list in the batch's order. */
export interface TransformOutcome<R> {
  ok: Array<TransformedRecord<R>>;
  dropped: R[];
  failed: R[];
}

/** The batch as the child wants it: one Buffer for all data (one copy, no base64 here). */
export function invocationOf(records: readonly TransformInputRecord[], event: EventEnvelope): InvokePayload {
  const n = records.length;
  const ids = new Array<string>(n);
  const arrivals = new Array<number>(n);
  const ends = new Array<number>(n);
  const parts = new Array<Buffer>(n);
  let metadata: Array<FirehoseRecordMetadata | undefined> | undefined;
  let size = 0;
  for (let i = 0; i < n; i++) {
    const record = records[i]!;
    ids[i] = record.recordId;
    arrivals[i] = record.approximateArrivalTimestamp;
    parts[i] = record.data;
    size += record.data.length;
    ends[i] = size;
    const meta = record.kinesisRecordMetadata;
    if (meta) (metadata ??= new Array(n))[i] = { ...meta, subsequenceNumber: meta.subsequenceNumber ?? 0 };
  }
  return { event, ids, arrivals, data: Buffer.concat(parts, size), ends, ...(metadata ? { metadata } : {}) };
}

/**
 * Matches the answer to the batch: every recordId must come back exactly once, or the whole
 * invocation fails (Firehose's Lambda.MissingRecordId / Lambda.DuplicatedRecordId), as on AWS.
 */
export function outcomeOf<R extends TransformInputRecord>(records: readonly R[], answer: ResultPayload): TransformOutcome<R> {
  const index = new Map<string, number>();
  records.forEach((r, i) => index.set(r.recordId, i));
  const seen = new Uint8Array(records.length);
  // Per input position: the answer's position, so the lists come out in the batch's order.
  const at = new Int32Array(records.length);
  for (let j = 0; j < answer.ids.length; j++) {
    const id = answer.ids[j]!;
    const i = index.get(id);
    if (i === undefined) throw new TransformBatchError(`The transform answered a recordId that is not in the batch: ${id}`, 'Lambda.MissingRecordId');
    if (seen[i]) throw new TransformBatchError(`The transform answered recordId ${id} more than once`, 'Lambda.DuplicatedRecordId');
    seen[i] = 1;
    at[i] = j;
  }
  if (answer.ids.length !== records.length) {
    const missing = records.find((_r, i) => !seen[i])!;
    throw new TransformBatchError(
      `The transform answered ${answer.ids.length} of ${records.length} records; recordId ${missing.recordId} is missing`,
      'Lambda.MissingRecordId',
    );
  }
  const outcome: TransformOutcome<R> = { ok: [], dropped: [], failed: [] };
  for (let i = 0; i < records.length; i++) {
    const j = at[i]!;
    const record = records[i]!;
    const result = answer.results[j];
    if (result === 'Ok') {
      const data = answer.data.subarray(j === 0 ? 0 : answer.ends[j - 1], answer.ends[j]);
      const keys = answer.keys[j];
      outcome.ok.push(keys ? { record, data, partitionKeys: keys } : { record, data });
    } else if (result === 'Dropped') outcome.dropped.push(record);
    else outcome.failed.push(record);
  }
  return outcome;
}
