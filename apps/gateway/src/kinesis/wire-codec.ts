import { cbor, tag } from '@smithy/core/cbor';
import { serializationError, serializeOutput } from '@shardline/protocol';
import type { Operation, WireFormat } from '@shardline/protocol';

/**
 * One wire format of the Kinesis API, chosen once per request from its Content-Type: how
 * a body is parsed and how answers and errors are written. Both formats share the
 * validation tables and the operations; only the edges differ.
 */
export interface WireCodec {
  readonly format: WireFormat;
  /** Content-Type of answers in this format. */
  readonly contentType: string;
  parse(body: Buffer | undefined): Record<string, unknown>;
  output(operation: Operation, output: unknown): string | Uint8Array;
  error(type: string, message: string): string | Uint8Array;
}

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
export const CBOR_CONTENT_TYPE = 'application/x-amz-cbor-1.1';

/** AWS JSON 1.1: the AWS SDK for JavaScript, the CLI, boto3, Go. */
export const jsonCodec: WireCodec = {
  format: 'json',
  contentType: JSON_CONTENT_TYPE,
  parse: parseJson,
  output: (operation, output) => serializeOutput(operation, output),
  error: (type, message) => JSON.stringify({ __type: type, message }),
};

/**
 * AWS CBOR 1.1, the Java SDKs' default for Kinesis (v1 and v2): the same members as JSON,
 * with blobs as byte strings and timestamps as epoch milliseconds under tag 1 (what the
 * Java SDKs write and read back). Uses the AWS SDK's own codec (`@smithy/core/cbor`),
 * which also reads the indefinite-length maps Jackson writes.
 */
export const cborCodec: WireCodec = {
  format: 'cbor',
  contentType: CBOR_CONTENT_TYPE,
  parse: parseCbor,
  output: (_operation, output) => cbor.serialize(toCbor(output)),
  error: (type, message) => cbor.serialize({ __type: type, message }),
};

const CODECS: ReadonlyMap<string, WireCodec> = new Map([
  ['application/x-amz-json-1.1', jsonCodec],
  ['application/x-amz-json-1.0', jsonCodec],
  ['application/json', jsonCodec],
  [CBOR_CONTENT_TYPE, cborCodec],
]);

/** The codec for a Content-Type header (parameters ignored), or undefined when none fits. */
export function codecFor(contentType: string | undefined): WireCodec | undefined {
  return CODECS.get((contentType ?? '').split(';')[0].trim().toLowerCase());
}

function parseJson(body: Buffer | undefined): Record<string, unknown> {
  if (!body || body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationError('Start of structure or map found where not expected: the body is not valid JSON.');
  }
  return requireObject(parsed, 'JSON');
}

function parseCbor(body: Buffer | undefined): Record<string, unknown> {
  if (!body || body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = cbor.deserialize(body);
  } catch {
    throw serializationError('Start of structure or map found where not expected: the body is not valid CBOR.');
  }
  return requireObject(parsed, 'CBOR');
}

function requireObject(parsed: unknown, format: string): Record<string, unknown> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || parsed instanceof Uint8Array) {
    throw serializationError(`Start of structure or map expected: the body must be a ${format} map.`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Output members that are timestamps in the Kinesis model (every output member of these
 * names is one; see the SDK's models): JSON carries them as epoch seconds, CBOR as tagged
 * epoch milliseconds.
 */
const TIMESTAMP_MEMBERS = new Set([
  'ApproximateArrivalTimestamp',
  'StreamCreationTimestamp',
  'ConsumerCreationTimestamp',
  'EarliestAllowedEndAt',
  'StartedAt',
  'EndedAt',
]);

/** The one blob member of Kinesis outputs (a record's Data), base64 text in the JSON-shaped output. */
const BLOB_MEMBER = 'Data';

/**
 * An operation's JSON-shaped output as CBOR values: timestamps become tag 1 around epoch
 * milliseconds, base64 Data becomes bytes, absent (undefined) members are left out.
 */
export function toCbor(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => toCbor(item));
  if (key !== undefined && TIMESTAMP_MEMBERS.has(key) && typeof value === 'number') {
    return tag({ tag: 1, value: Math.round(value * 1000) });
  }
  if (key === BLOB_MEMBER && typeof value === 'string') return Buffer.from(value, 'base64');
  if (value instanceof Date) return tag({ tag: 1, value: value.getTime() });
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [member, item] of Object.entries(value as Record<string, unknown>)) {
    if (item !== undefined) out[member] = toCbor(item, member);
  }
  return out;
}
