/**
 * The one validation engine: walks a parsed JSON body against a compiled table in a single
 * pass. A JSON type error throws AWS's SerializationException at once (AWS deserializes
 * before it validates, so it wins over any constraint violation); constraint violations
 * are collected and thrown together as one ValidationException; then the table's `check`
 * runs. The body is normalized in place, so nothing is copied on the hot path:
 * Blob members become Buffers (decoded once), Timestamps become Dates, Integers are
 * truncated, JSON nulls become undefined. Unknown members are left alone and ignored.
 * Validating an already validated body again is harmless (Buffers and Dates are accepted).
 *
 * The same tables serve both wire formats of the Kinesis API: in JSON a Blob is base64 text
 * and a Timestamp epoch seconds; in CBOR (`application/x-amz-cbor-1.1`, the Java SDK's
 * default) a Blob is a byte string and a Timestamp epoch *milliseconds*, tagged 1 or plain.
 */
import { decodeBase64, typeMismatch } from './serialization';
import type { CompiledField, ValidationTable } from './table';
import { Violations } from './violations';

type JsonObject = Record<string, unknown>;

/** The wire format a body was decoded from: it decides how Blobs and Timestamps arrive. */
export type WireFormat = 'json' | 'cbor';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates `body` against `table` and returns it, normalized, as the operation's input. */
export function validate<T>(table: ValidationTable<T>, body: unknown, format: WireFormat = 'json'): T {
  if (!isObject(body)) throw typeMismatch('Structure', body);
  const violations = new Violations(format === 'cbor');
  checkMembers(table.fields, body, violations);
  const error = violations.toError();
  if (error) throw error;
  const input = body as T;
  table.check?.(input);
  return input;
}

function checkMembers(fields: readonly CompiledField[], object: JsonObject, violations: Violations): void {
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i];
    const value = object[field.wire];
    violations.enter(field.camel);
    if (value == null) {
      if (value === null) object[field.wire] = undefined;
      if (field.notNull) violations.add(field, null, 'Member must not be null');
    } else {
      const normalized = checkValue(field, value, violations);
      if (normalized !== value) object[field.wire] = normalized;
    }
    violations.leave();
  }
}

/** Type-checks one non-null value, checks its constraints, and returns its normalized form. */
function checkValue(field: CompiledField, value: unknown, violations: Violations): unknown {
  switch (field.type) {
    case 'String':
      if (typeof value !== 'string') throw typeMismatch(field.type, value);
      checkString(field, value, violations);
      return value;
    case 'Blob': {
      // A Buffer is a blob this engine already decoded (JSON never holds one): validating twice is harmless.
      const bytes = typeof value === 'string' ? decodeBase64(value) : toBuffer(value);
      if (bytes === undefined) throw typeMismatch(field.type, value);
      checkLength(field, bytes, bytes.length, violations);
      return bytes;
    }
    case 'Integer':
    case 'Long':
      return checkInteger(field, value, violations);
    case 'Boolean':
      return toBoolean(value);
    case 'Timestamp':
      return toDate(value, violations.cbor);
    case 'List':
      return checkList(field, value, violations);
    case 'Map':
      return checkMap(field, value, violations);
    case 'Structure':
      if (!isObject(value)) throw typeMismatch(field.type, value);
      checkMembers(field.fields ?? [], value, violations);
      return value;
  }
}

function checkString(field: CompiledField, value: string, violations: Violations): void {
  if (field.enumValues && !field.enumValues.includes(value)) {
    violations.add(field, value, `Member must satisfy enum value set: [${field.enumValues.join(', ')}]`);
  }
  if (field.regex && !field.regex.test(value)) {
    violations.add(field, value, `Member must satisfy regular expression pattern: ${field.pattern}`);
  }
  checkLength(field, value, value.length, violations);
}

function checkLength(field: CompiledField, value: unknown, length: number, violations: Violations): void {
  if (field.minLength !== undefined && length < field.minLength) {
    violations.add(field, value, `Member must have length greater than or equal to ${field.minLength}`);
  }
  if (field.maxLength !== undefined && length > field.maxLength) {
    violations.add(field, value, `Member must have length less than or equal to ${field.maxLength}`);
  }
}

function checkInteger(field: CompiledField, value: unknown, violations: Violations): number {
  if (typeof value !== 'number') throw typeMismatch(field.type, value);
  const number = Math.trunc(value);
  if (field.min !== undefined && number < field.min) {
    violations.add(field, number, `Member must have value greater than or equal to ${field.min}`);
  }
  if (field.max !== undefined && number > field.max) {
    violations.add(field, number, `Member must have value less than or equal to ${field.max}`);
  }
  return number;
}

/** Coral accepts JSON booleans and the strings true/false. */
function toBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
  }
  throw typeMismatch('Boolean', value);
}

/** A CBOR byte string (a Uint8Array view into the body) as a Buffer over the same memory. */
function toBuffer(value: unknown): Buffer | undefined {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

/**
 * JSON timestamps travel as epoch seconds (with a millisecond fraction); numeric strings are
 * accepted too. CBOR ones are epoch milliseconds, as the Java SDK writes them: tag 1 around
 * an integer (the SDK's reading of tag 1, which the CBOR spec defines in seconds) or plain.
 */
function toDate(value: unknown, cbor: boolean): Date {
  if (value instanceof Date) return value;
  if (cbor) return cborDate(value);
  const numeric = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  const seconds = typeof value === 'number' ? value : numeric;
  if (!Number.isFinite(seconds)) throw typeMismatch('Timestamp', value);
  return new Date(Math.round(seconds * 1000));
}

function cborDate(value: unknown): Date {
  const tagged = typeof value === 'object' && value !== null && (value as { tag?: unknown }).tag === 1;
  const inner = tagged ? (value as { value: unknown }).value : value;
  const millis = typeof inner === 'bigint' ? Number(inner) : inner;
  if (typeof millis !== 'number' || !Number.isFinite(millis)) throw typeMismatch('Timestamp', inner);
  return new Date(Math.round(millis));
}

function checkList(field: CompiledField, value: unknown, violations: Violations): unknown[] {
  if (!Array.isArray(value)) throw typeMismatch('List', value);
  checkLength(field, value, value.length, violations);
  const member = field.member;
  if (!member) return value;
  const scalar = member.type !== 'Structure';
  let memberFailed = false;
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (item == null) continue;
    violations.enter(i);
    const normalized = scalar ? checkScalarMember(member, item, violations.cbor) : checkValue(member, item, violations);
    violations.leave();
    if (normalized === undefined) memberFailed = true;
    else if (normalized !== item) value[i] = normalized;
  }
  if (memberFailed) violations.add(field, value, `Member must satisfy constraint: [${memberRules(member)}]`);
  return value;
}

/** Scalar list members are reported once for the whole list, as AWS does. Undefined = violated. */
function checkScalarMember(member: CompiledField, item: unknown, cbor: boolean): unknown {
  const probe = new Violations(cbor);
  const normalized = checkValue(member, item, probe);
  return probe.messages.length > 0 ? undefined : normalized;
}

/** AWS lists a member's constraints inside `[...]`, upper bound first. */
function memberRules(member: CompiledField): string {
  const rules: string[] = [];
  if (member.maxLength !== undefined) rules.push(`Member must have length less than or equal to ${member.maxLength}`);
  if (member.minLength !== undefined) rules.push(`Member must have length greater than or equal to ${member.minLength}`);
  if (member.pattern !== undefined) rules.push(`Member must satisfy regular expression pattern: ${member.pattern}`);
  if (member.enumValues !== undefined) rules.push(`Member must satisfy enum value set: [${member.enumValues.join(', ')}]`);
  return rules.join(', ');
}

function checkMap(field: CompiledField, value: unknown, violations: Violations): JsonObject {
  if (!isObject(value)) throw typeMismatch('Map', value);
  const keys = Object.keys(value);
  checkLength(field, value, keys.length, violations);
  let keyFailed = false;
  let valueFailed = false;
  for (const key of keys) {
    if (field.key && checkScalarMember(field.key, key, violations.cbor) === undefined) keyFailed = true;
    const item = value[key];
    if (field.member && item != null) {
      const normalized = checkScalarMember(field.member, item, violations.cbor);
      if (normalized === undefined) valueFailed = true;
      else if (normalized !== item) value[key] = normalized;
    }
  }
  if (keyFailed && field.key) {
    violations.add(field, value, `Map keys must satisfy constraint: [${memberRules(field.key)}]`);
  }
  if (valueFailed && field.member) {
    violations.add(field, value, `Map value must satisfy constraint: [${memberRules(field.member)}]`);
  }
  return value;
}
