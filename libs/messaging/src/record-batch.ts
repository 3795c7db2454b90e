/**
 * Record batches: the storage format of a shard. One JetStream message holds many records
 * (what makes puts fast: one publish per request and shard, as Kafka batches), and one
 * record larger than a message is split into parts in consecutive messages.
 *
 *   records message: 0x53 | 0x01 | timestamp f64 (ms) | count u32 | count × record
 *   record:          partitionKey length u16 | partitionKey utf8 | data length u32 | data
 *   part message:    0x53 | 0x02 | part index u16 | part count u16 | bytes of one records message
 *
 * A record's position is its message's JetStream sequence and its index in the batch; a
 * record stored in parts takes the sequence of its first part.
 */
const MAGIC = 0x53;
const KIND_RECORDS = 1;
const KIND_PART = 2;
const RECORDS_HEADER = 14;
const PART_HEADER = 6;

/** A record as producers hand it over. */
export interface RecordInput {
  partitionKey: string;
  data: Uint8Array;
}

/** A record as read back; `data` is a view into the message, not a copy. */
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
export function encodeRecordBatches(records: readonly RecordInput[], limit: number): EncodedMessage[] {
  const messages: EncodedMessage[] = [];
  let start = 0;
  let size = RECORDS_HEADER;
  for (let i = 0; i < records.length; i++) {
    const recordSize = 6 + Buffer.byteLength(records[i].partitionKey) + records[i].data.length;
    if (i > start && size + recordSize > limit) {
      messages.push({ payload: writeRecords(records, start, i, size), records: i - start });
      start = i;
      size = RECORDS_HEADER;
    }
    size += recordSize;
    if (size > limit) {
      messages.push(...splitIntoParts(writeRecords(records, i, i + 1, size), limit));
      start = i + 1;
      size = RECORDS_HEADER;
    }
  }
  if (start < records.length) messages.push({ payload: writeRecords(records, start, records.length, size), records: records.length - start });
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
  if (payload[1] === KIND_RECORDS) {
    Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).writeDoubleLE(timestampMs, 2);
  } else if (payload[1] === KIND_PART && payload[2] === 0 && payload[3] === 0) {
    Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).writeDoubleLE(timestampMs, PART_HEADER + 2);
  }
}

/** How many records a message completes (a large record counts once, on its first part), without decoding it. */
export function recordCount(payload: Uint8Array): number {
  if (payload[1] === KIND_RECORDS) return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readUInt32LE(10);
  return payload[2] === 0 && payload[3] === 0 ? 1 : 0;
}

/** What one stored message is: complete records, or one part of a large record. */
export type StoredMessage =
  | { kind: 'records'; timestamp: number; records: DecodedRecord[] }
  | { kind: 'part'; index: number; count: number; bytes: Buffer };

export function decodeMessage(payload: Uint8Array): StoredMessage {
  const buf = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (buf[0] !== MAGIC) throw new Error('not a Shardline record batch');
  if (buf[1] === KIND_PART) {
    return { kind: 'part', index: buf.readUInt16LE(2), count: buf.readUInt16LE(4), bytes: buf.subarray(PART_HEADER) };
  }
  return decodeRecords(buf);
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
export function joinParts(parts: readonly Buffer[]): StoredMessage {
  return decodeRecords(Buffer.concat(parts));
}
