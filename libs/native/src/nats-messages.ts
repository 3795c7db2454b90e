/**
 * The NATS face of the native APIs, as pure functions over subjects, headers and bytes
 * (the gateway's subscriptions call them). Subjects and payloads: docs/nats-api.md.
 */
import { serializationError, ShardlineError } from '@shardline/protocol';
import type { PutRecordEntry } from '@shardline/protocol';
import type { NativeOperation, NativeServices } from './operation';
import { parse } from './operation';
import { ValidationProblem, problemOf, type Problem } from './problems';
import { putEntries } from './record-operations';
import { putBatchBody, rawBatchHeader, recordInput } from './schemas';
import { entryOf } from './views';

/** The NATS API's subjects under a prefix (`shardline` by default): puts per stream, control requests per operation. */
export function natsSubjects(prefix: string) {
  return { put: `${prefix}.put.`, api: `${prefix}.api.` };
}
/** Queue group of the gateways: each request is served by one of them. */
export const NATS_QUEUE = 'shardline-gateway';
export const PARTITION_KEY_HEADER = 'Shardline-Partition-Key';
export const HASH_KEY_HEADER = 'Shardline-Explicit-Hash-Key';
export const BATCH_HEADER = 'Shardline-Batch';

/** A put request as NATS delivered it. */
export interface PutMessage {
  data: Uint8Array;
  header(name: string): string | undefined;
}

/**
 * A put on shardline.put.<stream>: with the partition key header the payload is the record's
 * bytes as they are; with the batch header it is many records' bytes back to back; without
 * either it is JSON — one record envelope, an array of them, or {records: [...]}. Batches are
 * answered per record, single records with {shardId, sequenceNumber}.
 */
export async function handlePut(services: NativeServices, name: string, message: PutMessage): Promise<unknown> {
  const batch = message.header(BATCH_HEADER);
  if (batch !== undefined) return putEntries(services, name, rawBatch(batch, payloadOf(message.data)));
  const key = message.header(PARTITION_KEY_HEADER);
  if (key !== undefined) {
    const hashKey = message.header(HASH_KEY_HEADER);
    const record = parse(recordInput, { partitionKey: key, dataBase64: '', ...(hashKey ? { explicitHashKey: hashKey } : {}) }, 'header');
    return single(services, name, { ...entryOf(record), data: payloadOf(message.data) });
  }
  const body = parseJson(message.data);
  if (Array.isArray(body) || (typeof body === 'object' && body !== null && 'records' in body)) {
    const batch = parse(putBatchBody, Array.isArray(body) ? { records: body } : body, 'body');
    return putEntries(services, name, batch.records.map(entryOf));
  }
  return single(services, name, entryOf(parse(recordInput, body, 'body')));
}

/** The records of a raw batch: the header's lengths cut the payload, and must add up to it. */
function rawBatch(header: string, payload: Buffer): PutRecordEntry[] {
  const entries = parse(rawBatchHeader, parseJson(header, `The ${BATCH_HEADER} header`), 'header.Shardline-Batch');
  let offset = 0;
  const records = entries.map(([partitionKey, length, hashKey]) => {
    const data = payload.subarray(offset, (offset += length));
    return { partitionKey, data, ...(hashKey !== undefined ? { explicitHashKey: BigInt(hashKey) } : {}) };
  });
  if (offset !== payload.length) {
    throw new ValidationProblem([{ path: 'header.Shardline-Batch', message: `lengths add up to ${offset} bytes, the payload has ${payload.length}` }]);
  }
  return records;
}

/** The message's bytes without a copy. */
function payloadOf(data: Uint8Array): Buffer {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

async function single(services: NativeServices, name: string, entry: PutRecordEntry) {
  const [record] = (await putEntries(services, name, [entry])).records;
  if ('errorCode' in record) throw new ShardlineError(record.errorCode, record.errorMessage);
  return record;
}

/** A control request on shardline.api.<operation>: one JSON object holding the REST path, query and body fields. */
export async function handleApi(
  services: NativeServices,
  operations: readonly NativeOperation[],
  name: string,
  data: Uint8Array,
): Promise<unknown> {
  const op = operations.find((o) => o.name === name);
  if (!op) throw new ShardlineError('UnknownOperationException', `No operation ${name}; see docs/nats-api.md.`);
  const input = data.length === 0 ? {} : parseJson(data);
  return op.execute(services, { params: input, query: input, body: input });
}

/** The reply to a failed request: {error: problem} (the REST problem+json, wrapped). */
export function errorReply(err: unknown): { error: Problem } {
  return { error: problemOf(err) };
}

function parseJson(data: Uint8Array | string, what = 'The payload'): unknown {
  try {
    return JSON.parse(typeof data === 'string' ? data : payloadOf(data).toString('utf8')) as unknown;
  } catch {
    throw serializationError(`${what} is not JSON.`);
  }
}
