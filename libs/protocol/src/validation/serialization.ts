/**
 * AWS's SerializationException texts (Coral's JSON deserializer, as recorded against real
 * Kinesis by kinesalite's suite) for a JSON value of the wrong type, and the base64 rules
 * of Blob members.
 */
import { ShardlineError, serializationError } from '../errors';
import type { FieldType } from './table';

const NUMBER_CLASS = 'class com.amazon.coral.value.json.numbers.TruncatingBigNumber';
const LIST_FOUND = 'Start of list found where not expected';
const STRUCT_FOUND = 'Start of structure or map found where not expected.';

function article(type: FieldType): string {
  return type === 'Blob' || type === 'Timestamp' ? 'a' : 'an';
}

/** Text for a scalar member given a value of another JSON type. */
function scalarMismatch(type: FieldType, value: unknown): string {
  if (Array.isArray(value)) return LIST_FOUND;
  const target = `can not be converted to ${article(type)} ${type}`;
  switch (typeof value) {
    case 'boolean':
      return `class java.lang.Boolean ${target}`;
    case 'number':
      return `${NUMBER_CLASS} ${target}`;
    case 'string':
      return type === 'Boolean' || type === 'Timestamp' ? `'${value}' ${target}` : `class java.lang.String ${target}`;
    default:
      return STRUCT_FOUND;
  }
}

/** Text for a List, Map or Structure member given a value of another JSON type. */
function containerMismatch(type: 'List' | 'Map' | 'Structure', value: unknown): string {
  if (Array.isArray(value)) return LIST_FOUND;
  if (typeof value === 'object') return STRUCT_FOUND;
  if (type === 'List') return 'Expected list or null';
  if (type === 'Map') return 'Expected map or null';
  return 'Expected null';
}

/** The SerializationException for `value` where `type` was expected. */
export function typeMismatch(type: FieldType, value: unknown): ShardlineError {
  const message =
    type === 'List' || type === 'Map' || type === 'Structure'
      ? containerMismatch(type, value)
      : scalarMismatch(type, value);
  return serializationError(message);
}

/** 6-bit value of each base64 character code, -1 when not in the standard alphabet. */
const SEXTET = new Int8Array(128).fill(-1);
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

const INVALID_CHAR = /[^a-zA-Z0-9+/=]|=[^=]/;

function blobError(value: string, reason: string): ShardlineError {
  return serializationError(`'${value}' can not be converted to a Blob: ${reason}`);
}

/** Explains why `value` is not canonical base64 (slow path, only on failure). */
function explainBadBase64(value: string): ShardlineError {
  const bad = INVALID_CHAR.exec(value);
  if (bad) return blobError(value, `Invalid Base64 character: '${bad[0][0]}'`);
  return blobError(value, 'Invalid last non-pad Base64 character dectected');
}

/**
 * Decodes a Blob member. Fast path: Node's decoder skips characters outside the alphabet,
 * so a decoded length different from the one the text length implies (or a base64url
 * character, which Node accepts) means the text is invalid; the exact reason is only
 * worked out on failure. AWS also rejects non-zero unused bits in the last character.
 */
export function decodeBase64(value: string): Buffer {
  const length = value.length;
  if (length % 4 !== 0) {
    throw blobError(value, `Base64 encoded length is expected a multiple of 4 bytes but found: ${length}`);
  }
  if (length === 0) return Buffer.alloc(0);
  const pads = value.charCodeAt(length - 1) !== 61 ? 0 : value.charCodeAt(length - 2) === 61 ? 2 : 1;
  const buffer = Buffer.from(value, 'base64');
  if (buffer.length !== (length / 4) * 3 - pads || value.indexOf('-') !== -1 || value.indexOf('_') !== -1) {
    throw explainBadBase64(value);
  }
  if (pads > 0) {
    const last = SEXTET[value.charCodeAt(length - 1 - pads)] ?? -1;
    const unusedBits = pads === 1 ? 0b11 : 0b1111;
    if (last < 0 || (last & unusedBits) !== 0) throw explainBadBase64(value);
  }
  return buffer;
}
