/**
 * Values at run time. A row is a plain object keyed by column name; every row carries ROWTIME.
 *
 *   SQL type                                   JS value
 *   VARCHAR(n), CHAR(n)                        string (cut to n characters on CAST and INSERT)
 *   INTEGER, BIGINT, SMALLINT, TINYINT         number (truncated toward zero)
 *   DOUBLE, REAL, DECIMAL(p,s)                 number (DECIMAL rounded to s places)
 *   BOOLEAN                                    boolean
 *   TIMESTAMP, DATE                            number: epoch milliseconds (UTC)
 *   NULL                                       null (undefined reads as null)
 */
import type { SqlType } from '../parser/ast';

/** One record of a stream. */
export type Row = Record<string, unknown>;

/** A declared column of a source or in-application stream. */
export interface Column {
  name: string;
  type: SqlType;
}

/** A value cannot be converted to a column's type; the row goes to the error stream. */
export class CastError extends Error {
  override readonly name = 'CastError';
}

const typeLabel = (type: SqlType) => (type.params.length > 0 ? `${type.name}(${type.params.join(',')})` : type.name);

function toNumber(value: unknown, type: SqlType): number {
  const number = typeof value === 'number' ? value : typeof value === 'boolean' ? Number(value) : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (Number.isNaN(number)) throw new CastError(`cannot cast ${JSON.stringify(value)} to ${typeLabel(type)}`);
  return number;
}

function toTimestamp(value: unknown, type: SqlType): number {
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  const parsed = typeof value === 'string' ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`) : NaN;
  if (Number.isNaN(parsed)) throw new CastError(`cannot cast ${JSON.stringify(value)} to ${typeLabel(type)}`);
  return type.name === 'DATE' ? parsed - (((parsed % 86_400_000) + 86_400_000) % 86_400_000) : parsed;
}

function toText(value: unknown, type: SqlType): string {
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  return type.params.length > 0 ? text.slice(0, type.params[0]) : text;
}

function toBoolean(value: unknown, type: SqlType): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  const text = String(value).trim().toLowerCase();
  if (text === 'true' || text === 't' || text === '1') return true;
  if (text === 'false' || text === 'f' || text === '0') return false;
  throw new CastError(`cannot cast ${JSON.stringify(value)} to ${typeLabel(type)}`);
}

/** Converts a value to a SQL type (CAST, and INSERT into a declared column). NULL stays NULL. */
export function castValue(value: unknown, type: SqlType): unknown {
  if (value === null || value === undefined) return null;
  switch (type.name) {
    case 'VARCHAR':
    case 'CHAR':
      return toText(value, type);
    case 'INTEGER':
    case 'BIGINT':
    case 'SMALLINT':
    case 'TINYINT':
      return Math.trunc(toNumber(value, type));
    case 'DOUBLE':
    case 'REAL':
      return toNumber(value, type);
    case 'DECIMAL': {
      const number = toNumber(value, type);
      const scale = 10 ** (type.params[1] ?? 0);
      return Math.round(number * scale) / scale;
    }
    case 'BOOLEAN':
      return toBoolean(value, type);
    case 'TIMESTAMP':
    case 'DATE':
      return toTimestamp(value, type);
    case 'ANY':
      return value;
  }
}

/** Returns a converter for a type, built once. */
export const caster = (type: SqlType) => (value: unknown) => castValue(value, type);
