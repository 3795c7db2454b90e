/**
 * MetadataExtraction (dynamic partitioning with inline parsing, JsonParsingEngine JQ-1.6): the
 * MetadataExtractionQuery, e.g. `{customer_id: .customer_id, year: .ts | strftime("%Y")}`,
 * runs over each JSON record and its object becomes record.partitionKeys.query. A record that
 * is not JSON, whose query fails, or whose result is not one object of scalar values goes to
 * the error output as partitioning-failed ("If Firehose is not able to parse data records ...
 * or it fails to extract the specified partitioning keys ... these data records are delivered
 * to the S3 error bucket prefix", developer guide, "Dynamic Partitioning Error Handling").
 * Numbers and booleans become their text; null, arrays and objects are refused.
 * jq-wasm implements jq 1.7, a superset of 1.6 for the filters partitioning keys use.
 */
import type { FailedRecord, FirehoseRecord } from '../model';
import type { RecordStage } from './processing-configuration';
import { partitioningFailed } from './failures';
import { runJq } from './jq-runner';

const ERROR_CODE = 'DynamicPartitioning.MetadataExtractionFailed';

export function metadataExtraction(query: string): RecordStage {
  return async (records) => {
    const failed: FailedRecord[] = [];
    const parsed: { record: FirehoseRecord; value: unknown }[] = [];
    for (const record of records) {
      try {
        parsed.push({ record, value: JSON.parse(record.data.toString('utf8')) });
      } catch {
        failed.push(partitioningFailed(record, ERROR_CODE, 'Non JSON record provided'));
      }
    }
    const outcomes = await runJq(query, parsed.map((p) => p.value));
    const out: FirehoseRecord[] = [];
    outcomes.forEach((outcome, i) => {
      const { record } = parsed[i];
      const keys = outcome.ok ? partitionKeys(outcome.outputs) : outcome.error;
      if (typeof keys === 'string') failed.push(partitioningFailed(record, ERROR_CODE, keys));
      else out.push({ ...record, partitionKeys: { ...record.partitionKeys, query: keys } });
    });
    return { records: sourceOrder(out, records), failed };
  };
}

/** The query's single object as string keys, or why it is not one. */
function partitionKeys(outputs: unknown[]): Record<string, string> | string {
  if (outputs.length !== 1) return `The metadata extraction query produced ${outputs.length} results instead of one object`;
  const result = outputs[0];
  if (typeof result !== 'object' || result === null || Array.isArray(result)) return 'The metadata extraction query did not produce a JSON object';
  const keys: Record<string, string> = {};
  for (const [key, value] of Object.entries(result)) {
    if (typeof value === 'string') keys[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') keys[key] = String(value);
    else return `The partition key ${key} evaluated to ${value === null ? 'null' : Array.isArray(value) ? 'an array' : 'an object'}`;
  }
  return keys;
}

function sourceOrder(out: FirehoseRecord[], input: readonly FirehoseRecord[]): FirehoseRecord[] {
  const rank = new Map(input.map((r, i) => [r.recordId, i]));
  return out.sort((a, b) => rank.get(a.recordId)! - rank.get(b.recordId)!);
}
