/**
 * Glue/Hive column types (a Glue table's StorageDescriptor.Columns: [{Name, Type}]) parsed
 * and mapped to a @dsnp/parquetjs schema, plus the per-value coercion the OpenX JSON SerDe
 * (Firehose's default deserializer) applies. Supported: string, varchar(n), char(n), tinyint,
 * smallint, int, integer, bigint, float, double, boolean, timestamp, date, decimal(p,s),
 * array<T>, struct<name:T,...>. map<K,V> and uniontype are refused at schema time.
 */
import type { FieldDefinition, SchemaDefinition } from '@dsnp/parquetjs';

/** One Glue column. */
export interface GlueColumn {
  Name: string;
  Type: string;
}

/** A parsed Hive type. */
export type HiveType =
  | { kind: 'string' }
  | { kind: 'int'; bits: 8 | 16 | 32 }
  | { kind: 'bigint' }
  | { kind: 'float' }
  | { kind: 'double' }
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  | { kind: 'date' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'array'; element: HiveType }
  | { kind: 'struct'; fields: { name: string; type: HiveType }[] };

/** Parses a Hive type string such as `array<struct<a:int,b:string>>`. */
export function parseHiveType(text: string): HiveType {
  const parser = new TypeParser(text);
  const type = parser.type();
  parser.end();
  return type;
}

// A tiny recursive-descent parser: Hive's type grammar is small and no npm package parses it.
class TypeParser {
  private at = 0;
  constructor(private readonly text: string) {}

  type(): HiveType {
    const name = this.word().toLowerCase();
    switch (name) {
      case 'string':
        return { kind: 'string' };
      case 'varchar':
      case 'char':
        this.expect('(');
        this.number();
        this.expect(')');
        return { kind: 'string' };
      case 'tinyint':
        return { kind: 'int', bits: 8 };
      case 'smallint':
        return { kind: 'int', bits: 16 };
      case 'int':
      case 'integer':
        return { kind: 'int', bits: 32 };
      case 'bigint':
        return { kind: 'bigint' };
      case 'float':
        return { kind: 'float' };
      case 'double':
        return { kind: 'double' };
      case 'boolean':
        return { kind: 'boolean' };
      case 'timestamp':
        return { kind: 'timestamp' };
      case 'date':
        return { kind: 'date' };
      case 'decimal':
        return this.decimal();
      case 'array': {
        this.expect('<');
        const element = this.type();
        this.expect('>');
        return { kind: 'array', element };
      }
      case 'struct':
        return this.struct();
      default:
        throw new Error(`Unsupported column type: ${name || this.text}`);
    }
  }

  end(): void {
    this.skipSpace();
    if (this.at !== this.text.length) throw new Error(`Unexpected text in column type: ${this.text.slice(this.at)}`);
  }

  private decimal(): HiveType {
    this.skipSpace();
    // Hive's bare `decimal` is decimal(10,0).
    if (this.text[this.at] !== '(') return { kind: 'decimal', precision: 10, scale: 0 };
    this.expect('(');
    const precision = this.number();
    let scale = 0;
    this.skipSpace();
    if (this.text[this.at] === ',') {
      this.at++;
      scale = this.number();
    }
    this.expect(')');
    if (precision < 1 || precision > 38 || scale > precision) throw new Error(`Invalid decimal(${precision},${scale})`);
    return { kind: 'decimal', precision, scale };
  }

  private struct(): HiveType {
    this.expect('<');
    const fields: { name: string; type: HiveType }[] = [];
    for (;;) {
      const name = this.word();
      this.expect(':');
      fields.push({ name, type: this.type() });
      this.skipSpace();
      if (this.text[this.at] === ',') {
        this.at++;
        continue;
      }
      this.expect('>');
      return { kind: 'struct', fields };
    }
  }

  private word(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.at));
    if (!match) throw new Error(`Expected a type name at ${this.at} in ${this.text}`);
    this.at += match[0].length;
    return match[0];
  }

  private number(): number {
    this.skipSpace();
    const match = /^\d+/.exec(this.text.slice(this.at));
    if (!match) throw new Error(`Expected a number at ${this.at} in ${this.text}`);
    this.at += match[0].length;
    return Number(match[0]);
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) throw new Error(`Expected '${char}' at ${this.at} in ${this.text}`);
    this.at++;
  }

  private skipSpace(): void {
    while (this.text[this.at] === ' ') this.at++;
  }
}

/** The parquetjs field of a Hive type (every column optional: JSON may omit any key). */
export function parquetField(type: HiveType): FieldDefinition {
  switch (type.kind) {
    case 'string':
      return { type: 'UTF8', optional: true };
    case 'int':
      return { type: 'INT32', optional: true };
    case 'bigint':
      return { type: 'INT64', optional: true };
    case 'float':
      return { type: 'FLOAT', optional: true };
    case 'double':
      return { type: 'DOUBLE', optional: true };
    case 'boolean':
      return { type: 'BOOLEAN', optional: true };
    case 'timestamp':
      return { type: 'TIMESTAMP_MILLIS', optional: true };
    case 'date':
      return { type: 'DATE', optional: true };
    case 'decimal':
      // Precision above 18 needs a BYTE_ARRAY decimal, which parquetjs cannot read back; a
      // DOUBLE keeps the value readable (a documented departure).
      return type.precision <= 18
        ? { type: 'DECIMAL', precision: type.precision, scale: type.scale, optional: true }
        : { type: 'DOUBLE', optional: true };
    case 'array': {
      if (type.element.kind === 'array') throw new Error('Unsupported column type: array<array<...>>');
      const element = parquetField(type.element);
      // parquetjs models a list as a repeated field (no LIST wrapper group).
      return { ...element, optional: false, repeated: true };
    }
    case 'struct':
      return { optional: true, fields: structFields(type.fields) };
  }
}

function structFields(fields: { name: string; type: HiveType }[]): SchemaDefinition {
  const out: SchemaDefinition = {};
  for (const field of fields) out[field.name.toLowerCase()] = parquetField(field.type);
  return out;
}

/** The parquetjs schema definition of a Glue column list. */
export function parquetSchemaDefinition(columns: readonly GlueColumn[]): SchemaDefinition {
  return structFields(columns.map((c) => ({ name: c.Name, type: parseHiveType(c.Type) })));
}
