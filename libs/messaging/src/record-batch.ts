/**
 * Record batches: the storage format of a shard. One JetStream message holds many records
 * (what makes puts fast: one publish per request and shard, as Kafka batches), and one
 * record larger than a message is split into parts in consecutive messages.
 *
 *   records message: 0x53 | 0x01 | timestamp f64 (ms) | count u32 | count × record
 *   record:          partitionKey length u16 | partitionKey utf8 | data length u32 | data
 *   part message:    0x53 | 0x02 | part index u16 | part count u16 | bytes of one records message
 *   sealed message:  0x53 | 0x03 | timestamp f64 (ms) | count u32 | key header | count × sealed record
 *   sealed record:   length u32 | AES-256-GCM seal of (partitionKey length u16 | partitionKey | data)
 *
 * A record's position is its message's JetStream sequence and its index in the batch; a
 * record stored in parts takes the sequence of its first part. Sealed (encrypted) messages
 * seal each record on its own, so a shard actor can still count, size and cut a batch
 * (admitting a prefix under its write limit) without the key; the key header
 * (record-crypto.ts) names the master key and carries the wrapped data key.
 */
import { SEAL_OVERHEAD, keyHeaderLength, nextIv, open, readKeyHeader, sealInto } from './record-crypto';
import type { DataKey, DataKeyResolver } from './record-crypto';

const MAGIC = 0x53;
const KIND_RECORDS = 1;
const KIND_PART = 2;
const KIND_SEALED = 3;
const RECORDS_HEADER = 14;
const PART_HEADER = 6;
/** Bytes a plain record adds to its partition key and data. */
const RECORD_OVERHEAD = 6;
/** Bytes a sealed record adds: its length, the seal, the partition key's length. */
const SEALED_OVERHEAD = 4 + SEAL_OVERHEAD + 2;

/** A record as producers hand it over. */
export interface RecordInput {
  partitionKey: string;
  data: Uint8Array;
}

/** A record as read back; `data` is a view into the message (a plain one), not a copy. */
export interface DecodedRecord {
  partitionKey: string;
  data: Buffer;
}

/** One message to publish and how many records (from the front of the group) it completes. */
export interface EncodedMessage {
  payload: Buffer;
  records: number;
}

/**
 * Packs records into messages of at most `limit` bytes, in order. Every records message
 * completes its records; the parts of a large record complete it with the last part.
 */
export function encodeRecordBatches(records: readonly RecordInput[], limit: number, dataKey?: DataKey): EncodedMessage[] {
  const write = dataKey ? (from: number, to: number, size: number) => writeSealed(records, from, to, size, dataKey) : undefined;
  const header = dataKey ? RECORDS_HEADER + dataKey.header.length : RECORDS_HEADER;
  const overhead = dataKey ? SEALED_OVERHEAD : RECORD_OVERHEAD;
  const messages: EncodedMessage[] = [];
  let start = 0;
  let size = header;
  for (let i = 0; i < records.length; i++) {
    const recordSize = overhead + Buffer.byteLength(records[i].partitionKey) + records[i].data.length;
    if (i > start && size + recordSize > limit) {
      messages.push({ payload: write ? write(start, i, size) : writeRecords(records, start, i, size), records: i - start });
      start = i;
      size = header;
    }
    size += recordSize;
    if (size > limit) {
      messages.push(...splitIntoParts(write ? write(i, i + 1, size) : writeRecords(records, i, i + 1, size), limit));
      start = i + 1;
      size = header;
    }
  }
  if (start < records.length) {
    const payload = write ? write(start, records.length, size) : writeRecords(records, start, records.length, size);
    messages.push({ payload, records: records.length - start });
  }
  return messages;
}

function writeRecords(records: readonly RecordInput[], from: number, to: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  buf[0] = MAGIC;
  buf[1] = KIND_RECORDS;
  buf.writeDoubleLE(0, 2);
  buf.writeUInt32LE(to - from, 10);
  let offset = RECORDS_HEADER;
  for (let i = from; i < to; i++) {
    const { partitionKey, data } = records[i];
    const keyLength = buf.write(partitionKey, offset + 2, 'utf8');
    buf.writeUInt16LE(keyLength, offset);
    offset += 2 + keyLength;
    buf.writeUInt32LE(data.length, offset);
    buf.set(data, offset + 4);
    offset += 4 + data.length;
  }
  return buf;
}

/** A sealed message: each record sealed on its own under the data key, the key header once. */
function writeSealed(records: readonly RecordInput[], from: number, to: number, size: number, dataKey: DataKey): Buffer {
  const buf = Buffer.allocUnsafe(size);
  buf[0] = MAGIC;
  buf[1] = KIND_SEALED;
  buf.writeDoubleLE(0, 2);
  buf.writeUInt32LE(to - from, 10);
  let offset = RECORDS_HEADER + dataKey.header.copy(buf, RECORDS_HEADER);
  for (let i = from; i < to; i++) {
    const { partitionKey, data } = records[i];
    const head = Buffer.allocUnsafe(2 + Buffer.byteLength(partitionKey));
    head.writeUInt16LE(head.write(partitionKey, 2, 'utf8'), 0);
    const end = sealInto(dataKey.key, [head, data], buf, offset + 4, undefined, nextIv(dataKey));
    buf.writeUInt32LE(end - offset - 4, offset);
    offset = end;
  }
  return buf;
}

function splitIntoParts(message: Buffer, limit: number): EncodedMessage[] {
  const chunk = limit - PART_HEADER;
  const count = Math.ceil(message.length / chunk);
  const parts: EncodedMessage[] = [];
  for (let i = 0; i < count; i++) {
    const bytes = message.subarray(i * chunk, (i + 1) * chunk);
    const part = Buffer.allocUnsafe(PART_HEADER + bytes.length);
    part[0] = MAGIC;
    part[1] = KIND_PART;
    part.writeUInt16LE(i, 2);
    part.writeUInt16LE(count, 4);
    part.set(bytes, PART_HEADER);
    parts.push({ payload: part, records: i === count - 1 ? 1 : 0 });
  }
  return parts;
}

/** Stamps the arrival time into a records message (or the first part of one) in place. */
export function stampArrival(payload: Uint8Array, timestampMs: number): void {
  if (payload[1] === KIND_RECORDS || payload[1] === KIND_SEALED) {
    Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).writeDoubleLE(timestampMs, 2);
  } else if (payload[1] === KIND_PART && payload[2] === 0 && payload[3] === 0) {
    Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).writeDoubleLE(timestampMs, PART_HEADER + 2);
  }
}

/** How many records a message completes (a large record counts once, on its first part), without decoding it. */
export function recordCount(payload: Uint8Array): number {
  if (payload[1] === KIND_RECORDS || payload[1] === KIND_SEALED) {
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readUInt32LE(10);
  }
  return payload[2] === 0 && payload[3] === 0 ? 1 : 0;
}

/** What one stored message is: complete records, or one part of a large record. */
export type StoredMessage =
  | { kind: 'records'; timestamp: number; records: DecodedRecord[]; encrypted?: true }
  | { kind: 'part'; index: number; count: number; bytes: Buffer };

/** Decodes a stored message; sealed records are opened with data keys from `keys`. */
export function decodeMessage(payload: Uint8Array, keys?: DataKeyResolver): StoredMessage {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (buf[0] !== MAGIC) throw new Error('not a Shardline record batch');
  if (buf[1] === KIND_PART) {
    return { kind: 'part', index: buf.readUInt16LE(2), count: buf.readUInt16LE(4), bytes: buf.subarray(PART_HEADER) };
  }
  return buf[1] === KIND_SEALED ? decodeSealed(buf, keys) : decodeRecords(buf);
}

function decodeSealed(buf: Buffer, keys: DataKeyResolver | undefined): StoredMessage {
  if (!keys) throw new Error('an encrypted record batch needs a key resolver');
  const timestamp = buf.readDoubleLE(2);
  const count = buf.readUInt32LE(10);
  const key = keys(readKeyHeader(buf, RECORDS_HEADER));
  const records: DecodedRecord[] = new Array(count);
  let offset = RECORDS_HEADER + keyHeaderLength(buf, RECORDS_HEADER);
  for (let i = 0; i < count; i++) {
    const length = buf.readUInt32LE(offset);
    const plain = open(key, buf.subarray(offset + 4, offset + 4 + length));
    const keyLength = plain.readUInt16LE(0);
    records[i] = { partitionKey: plain.toString('utf8', 2, 2 + keyLength), data: plain.subarray(2 + keyLength) };
    offset += 4 + length;
  }
  return { kind: 'records', timestamp, records, encrypted: true };
}

function decodeRecords(buf: Buffer): StoredMessage {
  const timestamp = buf.readDoubleLE(2);
  const count = buf.readUInt32LE(10);
  const records: DecodedRecord[] = new Array(count);
  let offset = RECORDS_HEADER;
  for (let i = 0; i < count; i++) {
    const keyLength = buf.readUInt16LE(offset);
    const partitionKey = buf.toString('utf8', offset + 2, offset + 2 + keyLength);
    offset += 2 + keyLength;
    const dataLength = buf.readUInt32LE(offset);
    records[i] = { partitionKey, data: buf.subarray(offset + 4, offset + 4 + dataLength) };
    offset += 4 + dataLength;
  }
  return { kind: 'records', timestamp, records };
}

/** Joins the parts of a large record (in order) back into its records message. */
export function joinParts(parts: readonly Buffer[], keys?: DataKeyResolver): StoredMessage {
  return decodeMessage(Buffer.concat(parts), keys);
}

/** What one stored message counts against a shard's write limit. */
export interface MessageUsage {
  /** Records it completes (a part completes its record with the last part). */
  records: number;
  /** Partition key and data bytes (AWS's measure), of this message's share of a large record. */
  bytes: number;
  /** Arrival stamp; parts after the first carry none (they share their first part's). */
  timestamp?: number;
}

/** Reads a message's usage from its header alone, without decoding (or decrypting) a record. */
export function messageUsage(payload: Uint8Array): MessageUsage {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (buf[1] !== KIND_PART) {
    const records = buf.readUInt32LE(10);
    return { records, bytes: buf.length - headerLength(buf, 0) - records * overheadOf(buf[1]), timestamp: buf.readDoubleLE(2) };
  }
  const index = buf.readUInt16LE(2);
  const last = index === buf.readUInt16LE(4) - 1;
  const usage: MessageUsage = { records: last ? 1 : 0, bytes: buf.length - PART_HEADER };
  if (index === 0) {
    usage.bytes -= headerLength(buf, PART_HEADER) + overheadOf(buf[PART_HEADER + 1]);
    usage.timestamp = buf.readDoubleLE(PART_HEADER + 2);
  }
  return usage;
}

/** The part count of a large record's first part; 0 for any other message. */
export function firstPartCount(payload: Uint8Array): number {
  return payload[1] === KIND_PART && payload[2] === 0 && payload[3] === 0
    ? Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readUInt16LE(4)
    : 0;
}

/**
 * The longest prefix of a records (or sealed) message's records within `maxRecords` and
 * `maxBytes`, and what it holds: the message itself when it fits whole, else a copy of its
 * front with the count rewritten (a cut to zero records answers records 0).
 */
export function admitPrefix(payload: Buffer, maxRecords: number, maxBytes: number): { payload: Buffer; records: number; bytes: number } {
  const count = payload.readUInt32LE(10);
  const overhead = overheadOf(payload[1]);
  let offset = headerLength(payload, 0);
  const whole = payload.length - offset - count * overhead;
  if (count <= maxRecords && whole <= maxBytes) return { payload, records: count, bytes: whole };
  const sealed = payload[1] === KIND_SEALED;
  let bytes = 0;
  let i = 0;
  for (; i < count && i < maxRecords; i++) {
    const size = sealed ? 4 + payload.readUInt32LE(offset) : plainRecordSize(payload, offset);
    if (bytes + size - overhead > maxBytes) break;
    bytes += size - overhead;
    offset += size;
  }
  // A copy: the caller's message stays whole, so a retry elsewhere sends every record again.
  const cut = Buffer.from(payload.subarray(0, offset));
  cut.writeUInt32LE(i, 10);
  return { payload: cut, records: i, bytes };
}

function plainRecordSize(buf: Buffer, offset: number): number {
  const keyLength = buf.readUInt16LE(offset);
  return RECORD_OVERHEAD + keyLength + buf.readUInt32LE(offset + 2 + keyLength);
}

function headerLength(buf: Buffer, at: number): number {
  return buf[at + 1] === KIND_SEALED ? RECORDS_HEADER + keyHeaderLength(buf, at + RECORDS_HEADER) : RECORDS_HEADER;
}

function overheadOf(kind: number): number {
  return kind === KIND_SEALED ? SEALED_OVERHEAD : RECORD_OVERHEAD;
}
