/**
 * Schema discovery (KDA's DiscoverInputSchema): from a sample of a stream's records, an input
 * mapping — the format, and columns with SQL types and paths — that fits a create body's
 * `input`. JSON objects become one column per leaf, named from the flattened path
 * (`$.device.id` → DEVICE_ID); CSV lines become COLUMN1..n. Types are the narrowest that hold
 * every sampled value: BOOLEAN, INTEGER, BIGINT, DOUBLE, TIMESTAMP (ISO-8601 text) or
 * VARCHAR(n), n the longest value seen. A value of another kind than the others widens the
 * column to VARCHAR; NULL and missing values do not count.
 */
import { SQL_KEYWORDS } from '@shardline/sql';
import { splitCsv } from './csv';

export type DiscoveredFormat = 'JSON' | 'CSV';

export interface DiscoveredColumn {
  name: string;
  type: string;
  /** JSON: `$.a.b`; CSV: the 0-based field index. */
  path: string | number;
}

export interface DiscoveredSchema {
  format: DiscoveredFormat;
  columns: DiscoveredColumn[];
  sampledRecords: number;
}

/** What one column's sampled values were: every kind seen, and the longest text. */
interface Observed {
  kinds: Set<'boolean' | 'integer' | 'bigint' | 'double' | 'timestamp' | 'string'>;
  longest: number;
}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
const INTEGER_TEXT = /^[+-]?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);
/** A path step the input mapping can express (model.ts: no dots or brackets inside a key). */
const PLAIN_KEY = /^[^.[\]]+$/;
const KEYWORDS = new Set(SQL_KEYWORDS);

/** Infers the input mapping of these records (their bytes). `format` is detected when not given. */
export function discoverSchema(records: Buffer[], format?: DiscoveredFormat): DiscoveredSchema {
  const texts = records.map((r) => r.toString('utf8'));
  const chosen = format ?? detectFormat(texts);
  const columns = chosen === 'JSON' ? jsonColumns(texts) : csvColumns(texts);
  return { format: chosen, columns, sampledRecords: records.length };
}

/** JSON when most non-empty records are JSON objects, else CSV. */
function detectFormat(texts: string[]): DiscoveredFormat {
  const nonEmpty = texts.filter((t) => t.trim() !== '');
  const objects = nonEmpty.filter((t) => isObject(parseJson(t))).length;
  return nonEmpty.length > 0 && objects * 2 > nonEmpty.length ? 'JSON' : 'CSV';
}

function jsonColumns(texts: string[]): DiscoveredColumn[] {
  const observed = new Map<string, Observed>();
  for (const text of texts) {
    const value = parseJson(text);
    if (isObject(value)) flatten(value, '$', observed);
  }
  return named([...observed].map(([path, seen]) => ({ base: path.slice(2).replace(/\./g, '_'), type: sqlType(seen), path })));
}

/** Records every leaf of an object under its path; arrays are left out (a path names one element only). */
function flatten(object: Record<string, unknown>, prefix: string, observed: Map<string, Observed>): void {
  for (const [key, value] of Object.entries(object)) {
    if (!PLAIN_KEY.test(key) || Array.isArray(value)) continue;
    const path = `${prefix}.${key}`;
    if (isObject(value)) flatten(value, path, observed);
    else observe(observed, path, value);
  }
}

function csvColumns(texts: string[]): DiscoveredColumn[] {
  const observed = new Map<number, Observed>();
  for (const text of texts) {
    if (text.trim() === '') continue;
    splitCsv(text).forEach((field, index) => observe(observed, index, field === '' ? null : textValue(field)));
  }
  return [...observed]
    .sort(([a], [b]) => a - b)
    .map(([index, seen]) => ({ name: `COLUMN${index + 1}`, type: sqlType(seen), path: index }));
}

/** A CSV field as the JSON value it reads as: a boolean, a number, or text. */
function textValue(field: string): unknown {
  if (/^(true|false)$/i.test(field)) return field.toLowerCase() === 'true';
  if (INTEGER_TEXT.test(field)) return Number.isSafeInteger(Number(field)) ? Number(field) : field;
  if (NUMBER_TEXT.test(field)) return Number(field);
  return field;
}

function observe<K>(observed: Map<K, Observed>, key: K, value: unknown): void {
  let seen = observed.get(key);
  if (!seen) observed.set(key, (seen = { kinds: new Set(), longest: 0 }));
  if (value === null || value === undefined) return;
  seen.longest = Math.max(seen.longest, String(value).length);
  if (typeof value === 'boolean') seen.kinds.add('boolean');
  else if (typeof value === 'number') {
    if (!Number.isInteger(value)) seen.kinds.add('double');
    else seen.kinds.add(value >= INT_MIN && value <= INT_MAX ? 'integer' : 'bigint');
  } else if (typeof value === 'string' && ISO_8601.test(value) && !Number.isNaN(Date.parse(value))) seen.kinds.add('timestamp');
  else seen.kinds.add('string');
}

/** The narrowest SQL type holding every kind seen (numbers widen to each other, anything else to VARCHAR). */
function sqlType({ kinds, longest }: Observed): string {
  const only = (...allowed: string[]) => kinds.size > 0 && [...kinds].every((k) => allowed.includes(k));
  if (only('boolean')) return 'BOOLEAN';
  if (only('integer')) return 'INTEGER';
  if (only('integer', 'bigint')) return 'BIGINT';
  if (only('integer', 'bigint', 'double')) return 'DOUBLE';
  if (only('timestamp')) return 'TIMESTAMP';
  return `VARCHAR(${Math.max(1, longest)})`;
}

/**
 * SQL names from paths: upper case, other characters than letters, digits and _ as _, a leading
 * digit or a reserved word prefixed with COL_ (as KDA did), and a repeated name numbered.
 */
function named(columns: Array<{ base: string; type: string; path: string }>): DiscoveredColumn[] {
  const taken = new Set<string>();
  return columns.map(({ base, type, path }) => {
    let name = base.replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
    if (/^[0-9]/.test(name) || KEYWORDS.has(name)) name = `COL_${name}`;
    name = name.slice(0, 120);
    let unique = name;
    for (let n = 2; taken.has(unique); n++) unique = `${name}_${n}`;
    taken.add(unique);
    return { name: unique, type, path };
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
