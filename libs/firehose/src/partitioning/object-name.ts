/**
 * Object keys: `<evaluated prefix><suffix>`, the suffix being
 * `<DeliveryStreamName>-<DeliveryStreamVersion>-yyyy-MM-dd-HH-mm-ss-<id><file extension>`
 * (Firehose developer guide, "Amazon S3 Object Name Format"). AWS's <id> is a random UUID;
 * Shardline's is UUID-shaped but derived from the source positions the object holds (its
 * first and last record and their count), and the time is the oldest record's arrival, so a
 * redelivered batch is written under the same key: the overwrite is what makes delivery
 * exactly-once.
 */
import { createHash } from 'node:crypto';
import type { FirehoseRecord, SourcePosition } from '../model';
import { formatJavaDate } from './java-date-format';

/** What names one object. */
export interface ObjectNameInput {
  prefix: string;
  deliveryStreamName: string;
  deliveryStreamVersion: number;
  /** The records the object holds, in source order. */
  records: readonly FirehoseRecord[];
  /** '.gz', '.parquet', ...; '' for none. */
  extension: string;
}

/** The key of the object holding `records`. */
export function objectName(input: ObjectNameInput): string {
  const time = formatJavaDate('yyyy-MM-dd-HH-mm-ss', oldestArrival(input.records));
  return `${input.prefix}${input.deliveryStreamName}-${input.deliveryStreamVersion}-${time}-${positionsId(input.records)}${input.extension}`;
}

/** The arrival time (epoch ms) of the oldest record: the instant every `!{timestamp:...}` uses. */
export function oldestArrival(records: readonly FirehoseRecord[]): number {
  if (records.length === 0) throw new Error('an object holds at least one record');
  let oldest = records[0].approximateArrivalTimestamp;
  for (const record of records) oldest = Math.min(oldest, record.approximateArrivalTimestamp);
  return oldest;
}

/** A UUID-shaped id, the same for the same first/last source positions and record count. */
export function positionsId(records: readonly FirehoseRecord[], salt = ''): string {
  const hex = positionsHash(records, salt);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** SHA-256 (hex) of the first and last positions and the count: stable across redelivery. */
export function positionsHash(records: readonly FirehoseRecord[], salt = ''): string {
  if (records.length === 0) throw new Error('an object holds at least one record');
  const first = positionText(records[0].position);
  const last = positionText(records[records.length - 1].position);
  return createHash('sha256').update(`${first}|${last}|${records.length}|${salt}`).digest('hex');
}

function positionText(position: SourcePosition): string {
  return `${position.shardId ?? ''}:${position.seq}:${position.index}`;
}
