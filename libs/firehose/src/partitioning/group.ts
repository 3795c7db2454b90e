/**
 * Groups a batch by evaluated prefix (dynamic partitioning: "Firehose groups records that
 * match the same evaluated S3 prefix expression into a single data set"). Partition keys and
 * text decide the group; `!{timestamp:...}` then takes the arrival time of the group's oldest
 * record and `!{firehose:random-string}` an 11-character string seeded by the group's source
 * positions (random-looking, yet the same when the batch is redelivered).
 */
import type { ErrorOutputType, FailedRecord, FirehoseRecord } from '../model';
import { evaluatePrefix, type PrefixPart } from './prefix';
import { MAX_EVALUATED_PREFIX_LENGTH } from './prefixes';
import { oldestArrival, positionsHash } from './object-name';

/** Records that share one evaluated prefix, in source order. */
export interface PrefixGroup {
  prefix: string;
  records: FirehoseRecord[];
}

/** A batch split by prefix, and the records whose prefix could not be evaluated. */
export interface Grouping {
  groups: PrefixGroup[];
  failed: FailedRecord[];
}

// Placeholders kept apart from any user text (NUL cannot be typed in an S3 prefix).
const TIME = '\u0000T\u0000';
const RANDOM = '\u0000R\u0000';
const TIME_PATTERN = new RegExp(`${TIME}(.*?)${TIME}`, 'g');
const RANDOM_PATTERN = new RegExp(RANDOM, 'g');

/** Groups records by their evaluated data Prefix. */
export function groupByPrefix(records: readonly FirehoseRecord[], prefix: readonly PrefixPart[]): Grouping {
  const byKey = new Map<string, FirehoseRecord[]>();
  const failed: FailedRecord[] = [];
  for (const record of records) {
    let key: string;
    try {
      key = groupKey(prefix, { partitionKeys: record.partitionKeys });
    } catch (err) {
      failed.push(partitioningFailed(record, (err as Error).message));
      continue;
    }
    const members = byKey.get(key);
    if (members) members.push(record);
    else byKey.set(key, [record]);
  }
  const groups: PrefixGroup[] = [];
  for (const [key, members] of byKey) {
    const evaluated = finish(key, members);
    if (evaluated.length > MAX_EVALUATED_PREFIX_LENGTH) {
      for (const record of members) failed.push(partitioningFailed(record, `The evaluated prefix is longer than ${MAX_EVALUATED_PREFIX_LENGTH} characters`));
    } else {
      groups.push({ prefix: evaluated, records: members });
    }
  }
  return { groups, failed };
}

/** Failed records grouped by their evaluated ErrorOutputPrefix (one group per error type). */
export interface ErrorGroup {
  prefix: string;
  type: ErrorOutputType;
  failed: FailedRecord[];
}

/** Groups failed records by error type and evaluates the ErrorOutputPrefix of each. */
export function groupErrors(failed: readonly FailedRecord[], errorPrefix: readonly PrefixPart[]): ErrorGroup[] {
  const byType = new Map<ErrorOutputType, FailedRecord[]>();
  for (const f of failed) {
    const members = byType.get(f.type);
    if (members) members.push(f);
    else byType.set(f.type, [f]);
  }
  return [...byType].map(([type, members]) => {
    const records = members.map((m) => m.record);
    const key = groupKey(errorPrefix, { errorOutputType: type });
    return { prefix: finish(key, records), type, failed: members };
  });
}

function groupKey(parts: readonly PrefixPart[], context: { partitionKeys?: FirehoseRecord['partitionKeys']; errorOutputType?: ErrorOutputType }): string {
  return parts
    .map((part) => {
      if (part.kind === 'timestamp') return TIME + part.pattern + TIME;
      if (part.kind === 'random-string') return RANDOM;
      return evaluatePrefix([part], { timestamp: 0, randomString: () => '', ...context });
    })
    .join('');
}

/** Fills the group key's placeholders: the oldest arrival time, then seeded random strings. */
function finish(key: string, records: readonly FirehoseRecord[]): string {
  const oldest = oldestArrival(records);
  let instance = 0;
  return key
    .replace(TIME_PATTERN, (_match, pattern: string) => evaluatePrefix([{ kind: 'timestamp', pattern }], { timestamp: oldest, randomString: () => '' }))
    .replace(RANDOM_PATTERN, () => seededRandomString(records, instance++));
}

/** 11 characters (AWS's length), derived from the group's positions and the instance number. */
export function seededRandomString(records: readonly FirehoseRecord[], instance: number): string {
  return positionsHash(records, `random-string:${instance}`).slice(0, 11);
}

function partitioningFailed(record: FirehoseRecord, message: string): FailedRecord {
  return { record, type: 'partitioning-failed', errorCode: 'DynamicPartitioning.MetadataExtractionFailed', errorMessage: message, attemptsMade: 1 };
}
