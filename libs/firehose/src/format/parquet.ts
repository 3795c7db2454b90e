/**
 * Record format conversion (DataFormatConversionConfiguration with a ParquetSerDe): JSON
 * records in, one Parquet file (a Buffer) out. Values are coerced the way the OpenX JSON
 * SerDe does (Firehose's recommended deserializer): keys match columns case-insensitively,
 * unknown keys are ignored, missing keys are null, numbers may arrive as numeric strings,
 * timestamps as ISO/`yyyy-MM-dd HH:mm:ss[.S]` text or epoch seconds/millis. A record that
 * is not JSON or does not fit the schema becomes a FailedRecord of type
 * 'format-conversion-failed' (errorCode DataFormatConversion.MalformedData); the rest go in
 * the file.
 */
import { Writable } from 'node:stream';
import type { FailedRecord, FirehoseRecord } from '../model';
import { parseHiveType, parquetSchemaDefinition, type GlueColumn, type HiveType } from './hive-schema';

/** ParquetSerDe.Compression. */
export type ParquetCompression = 'UNCOMPRESSED' | 'GZIP' | 'SNAPPY';

/** What to convert to: the Glue table's columns and the Parquet page compression. */
export interface ParquetConversion {
  columns: readonly GlueColumn[];
  /** Defaults to SNAPPY, as ParquetSerDe does. */
  compression?: ParquetCompression;
  /** Rows per row group; parquetjs' default is 4096. */
  rowGroupSize?: number;
}

/** The Parquet file, the records it holds and the ones that did not fit. */
export interface ParquetResult {
  /** Undefined when no record converted. */
  body?: Buffer;
  records: FirehoseRecord[];
  failed: FailedRecord[];
}

const MALFORMED = 'DataFormatConversion.MalformedData';

/** Converts a batch of JSON records to one Parquet file in memory. */
export async function toParquet(records: readonly FirehoseRecord[], conversion: ParquetConversion): Promise<ParquetResult> {
  const columns = conversion.columns.map((c) => ({ name: c.Name.toLowerCase(), type: parseHiveType(c.Type) }));
  const rows: Record<string, unknown>[] = [];
  const converted: FirehoseRecord[] = [];
  const failed: FailedRecord[] = [];
  for (const record of records) {
    try {
      rows.push(toRow(record.data, columns));
      converted.push(record);
    } catch (err) {
      failed.push({
        record,
        type: 'format-conversion-failed',
        errorCode: MALFORMED,
        errorMessage: (err as Error).message,
        attemptsMade: 1,
      });
    }
  }
  if (rows.length === 0) return { records: converted, failed };
  const body = await writeParquet(rows, conversion);
  return { body, records: converted, failed };
}

async function writeParquet(rows: readonly Record<string, unknown>[], conversion: ParquetConversion): Promise<Buffer> {
  const definition = parquetSchemaDefinition(conversion.columns);
  const compression = conversion.compression ?? 'SNAPPY';
  for (const field of Object.values(definition)) applyCompression(field, compression);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  // parquetjs types its sink as an fs.WriteStream but only calls write() and end().
  // Loaded on first use: parquetjs pulls in thrift and an ESM-only uuid, which Jest cannot
  // require; importing this lib must not pay for (or trip on) that.
  const { ParquetSchema, ParquetWriter } = await import('@dsnp/parquetjs');
  const writer = await ParquetWriter.openStream(new ParquetSchema(definition), sink as unknown as Parameters<typeof ParquetWriter.openStream>[1], {});
  if (conversion.rowGroupSize) writer.setRowGroupSize(conversion.rowGroupSize);
  for (const row of rows) await writer.appendRow(row);
  await writer.close();
  return Buffer.concat(chunks);
}

function applyCompression(field: { compression?: string; fields?: Record<string, unknown> }, compression: ParquetCompression): void {
  if (field.fields) {
    for (const child of Object.values(field.fields)) applyCompression(child as typeof field, compression);
  } else {
    field.compression = compression;
  }
}

function toRow(data: Buffer, columns: readonly { name: string; type: HiveType }[]): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch (err) {
    throw new Error(`The record is not valid JSON: ${(err as Error).message}`);
  }
  if (!isObject(parsed)) throw new Error('The record is not a JSON object');
  return structValue(parsed, columns, '');
}

function structValue(object: Record<string, unknown>, fields: readonly { name: string; type: HiveType }[], path: string): Record<string, unknown> {
  const byLowerKey = new Map<string, unknown>();
  for (const [key, value] of Object.entries(object)) byLowerKey.set(key.toLowerCase(), value);
  const row: Record<string, unknown> = {};
  for (const field of fields) {
    const name = field.name.toLowerCase();
    const value = coerce(byLowerKey.get(name), field.type, path ? `${path}.${name}` : name);
    if (value !== undefined) row[name] = value;
  }
  return row;
}

/** Coerces one JSON value to its column type; undefined for null/missing; throws on a mismatch. */
function coerce(value: unknown, type: HiveType, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  const mismatch = () => new Error(`Cannot convert value ${JSON.stringify(value)} of column ${path} to ${typeName(type)}`);
  switch (type.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw mismatch();
    case 'int':
    case 'bigint':
      return integerValue(value, type, mismatch);
    case 'float':
    case 'double': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw mismatch();
      return n;
    }
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw mismatch();
    case 'timestamp':
      return timestampValue(value, mismatch);
    case 'date':
      return dateValue(value, mismatch);
    case 'decimal':
      return decimalValue(value, type, mismatch);
    case 'array':
      if (!Array.isArray(value)) throw mismatch();
      return value.filter((v) => v !== null).map((v, i) => coerce(v, type.element, `${path}[${i}]`));
    case 'struct':
      if (!isObject(value)) throw mismatch();
      return structValue(value, type.fields, path);
  }
}

function integerValue(value: unknown, type: HiveType & { kind: 'int' | 'bigint' }, mismatch: () => Error): number | bigint {
  const text = typeof value === 'number' ? (Number.isInteger(value) ? BigInt(value).toString() : '') : typeof value === 'string' ? value.trim() : '';
  if (!/^-?\d+$/.test(text)) throw mismatch();
  const n = BigInt(text);
  const bits = type.kind === 'bigint' ? 64 : type.bits;
  const limit = 1n << BigInt(bits - 1);
  if (n < -limit || n >= limit) throw mismatch();
  return type.kind === 'bigint' ? n : Number(n);
}

// OpenX JSON SerDe timestamp forms: yyyy-MM-dd'T'HH:mm:ss[.S]'Z', yyyy-[M]M-[d]d HH:mm:ss[.S],
// epoch seconds, epoch milliseconds, floating point epoch seconds (Firehose developer guide,
// Choosing the JSON Deserializer). Integers above 1e11 are read as milliseconds.
function timestampValue(value: unknown, mismatch: () => Error): Date {
  if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))) {
    const n = Number(value);
    const ms = Number.isInteger(n) && Math.abs(n) > 1e11 ? n : Math.round(n * 1000);
    return new Date(ms);
  }
  if (typeof value !== 'string') throw mismatch();
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z)?$/.exec(value);
  if (!match) throw mismatch();
  const [, y, mo, d, h, mi, s, fraction] = match;
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
  if (Number.isNaN(date.getTime())) throw mismatch();
  return date;
}

function dateValue(value: unknown, mismatch: () => Error): Date {
  if (typeof value === 'number' && Number.isInteger(value)) return new Date(value * 86_400_000);
  if (typeof value !== 'string') throw mismatch();
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw mismatch();
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

function decimalValue(value: unknown, type: HiveType & { kind: 'decimal' }, mismatch: () => Error): number {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^-?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw mismatch();
  const integerDigits = match[1].replace(/^0+/, '').length;
  const fractionDigits = (match[2] ?? '').replace(/0+$/, '').length;
  if (fractionDigits > type.scale || integerDigits > type.precision - type.scale) throw mismatch();
  return Number(text);
}

function typeName(type: HiveType): string {
  switch (type.kind) {
    case 'int':
      return type.bits === 32 ? 'int' : type.bits === 16 ? 'smallint' : 'tinyint';
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${typeName(type.element)}>`;
    case 'struct':
      return `struct<${type.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}>`;
    default:
      return type.kind;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
