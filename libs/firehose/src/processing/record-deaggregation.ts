/**
 * RecordDeAggregation (developer guide, "Dynamic partitioning of aggregated data"):
 * - JSON: a record holding consecutive JSON objects (`{"a":1}{"a":2}` or one per line) becomes
 *   one record per object; a JSON array is not valid input;
 * - DELIMITED: split on the configured (base64-given) delimiter;
 * - KPL: Kinesis Producer Library aggregated records, unpacked with aws-kinesis-agg (MD5
 *   checked); a plain record passes through as itself.
 * JSON and DELIMITED de-aggregation is capped at 500 sub-records per record; a record that
 * cannot be split goes to the error output whole.
 */
import { deaggregateSync, type UserRecord } from 'aws-kinesis-agg';
import type { FailedRecord, FirehoseRecord } from '../model';
import type { RecordStage } from './processing-configuration';
import { processingFailed, subRecord } from './failures';

const MAX_SUB_RECORDS = 500;

export function recordDeAggregation(subRecordType: 'JSON' | 'DELIMITED' | 'KPL', delimiter?: Buffer): RecordStage {
  const split = subRecordType === 'JSON' ? splitJson : subRecordType === 'DELIMITED' ? (data: Buffer) => splitDelimited(data, delimiter!) : undefined;
  return async (records) => {
    const out: FirehoseRecord[] = [];
    const failed: FailedRecord[] = [];
    for (const record of records) {
      try {
        const parts = split ? split(record.data) : await kplUserRecords(record);
        if (parts.length > MAX_SUB_RECORDS && subRecordType !== 'KPL') {
          throw new Error(`the record holds more than ${MAX_SUB_RECORDS} sub-records`);
        }
        parts.forEach((data, i) => out.push(subRecord(record, i, data)));
      } catch (err) {
        failed.push(processingFailed(record, 'RecordDeAggregation.Failed', `The record could not be de-aggregated as ${subRecordType}: ${(err as Error).message}`));
      }
    }
    return { records: out, failed };
  };
}

/**
 * Splits concatenated JSON objects. Hand-written scanner: JSON.parse takes one value only and
 * the streaming JSON parsers on npm parse values rather than return their exact bytes.
 */
export function splitJson(data: Buffer): Buffer[] {
  const text = data.toString('utf8');
  const parts: Buffer[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    if (text[i] !== '{') throw new Error(`expected a JSON object at offset ${i}`);
    const end = objectEnd(text, i);
    const slice = text.slice(i, end);
    JSON.parse(slice);
    parts.push(Buffer.from(slice));
    i = end;
  }
  return parts;
}

function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  throw new Error('unterminated JSON object');
}

/** Splits on every occurrence of the delimiter; empty pieces are dropped. */
export function splitDelimited(data: Buffer, delimiter: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let at = data.indexOf(delimiter, start); at !== -1; at = data.indexOf(delimiter, start)) {
    if (at > start) parts.push(data.subarray(start, at));
    start = at + delimiter.length;
  }
  if (start < data.length) parts.push(data.subarray(start));
  return parts;
}

function kplUserRecords(record: FirehoseRecord): Promise<Buffer[]> {
  const payload = {
    data: record.data.toString('base64'),
    partitionKey: record.kinesisRecordMetadata?.partitionKey ?? '',
    sequenceNumber: record.kinesisRecordMetadata?.sequenceNumber ?? '',
    approximateArrivalTimestamp: record.approximateArrivalTimestamp / 1000,
    kinesisSchemaVersion: '1.0',
  };
  return new Promise((resolve, reject) => {
    deaggregateSync(payload, true, (err: Error | null, userRecords?: UserRecord[]) => {
      if (err) reject(err);
      else resolve((userRecords ?? []).map((u) => Buffer.from(u.data, 'base64')));
    });
  });
}
