import type { PutRecordEntry, Shard, StoredRecord, Stream, Tag } from '@shardline/protocol';
import type { RecordInput, RecordView, ShardView, StreamSummaryView, StreamView } from './schemas';

/** Characters a JSON text can start with (after whitespace): bytes starting otherwise are not tried. */
const JSON_START = new Set('{["-0123456789tfn'.split('').map((c) => c.charCodeAt(0)));
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/** The bytes a record input stands for: JSON `data` as its JSON text, `dataBase64` decoded. */
export function entryOf(input: RecordInput): PutRecordEntry {
  const data = input.dataBase64 !== undefined ? Buffer.from(input.dataBase64, 'base64') : Buffer.from(JSON.stringify(input.data));
  return {
    partitionKey: input.partitionKey,
    data,
    ...(input.explicitHashKey !== undefined ? { explicitHashKey: BigInt(input.explicitHashKey) } : {}),
  };
}

/**
 * The bytes as JSON when they are exactly the UTF-8 text of a JSON value, else undefined.
 * Records do not remember how they were put, so any JSON-looking bytes come back as `data`
 * too (a record put as the base64 of `42` reads back with data 42); `dataBase64` is always there.
 */
export function jsonOf(bytes: Buffer): unknown {
  let i = 0;
  while (i < bytes.length && WHITESPACE.has(bytes[i])) i++;
  if (i === bytes.length || !JSON_START.has(bytes[i])) return undefined;
  const text = bytes.toString('utf8');
  if (Buffer.byteLength(text) !== bytes.length) return undefined; // invalid UTF-8 was replaced
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function recordView(shardId: string, record: StoredRecord): RecordView {
  const data = jsonOf(record.data);
  return {
    shardId,
    sequenceNumber: record.sequenceNumber,
    partitionKey: record.partitionKey,
    arrivalTimestamp: record.arrivalTimestamp.toISOString(),
    dataBase64: record.data.toString('base64'),
    ...(data !== undefined ? { data } : {}),
  };
}

export function shardView(shard: Shard): ShardView {
  return {
    shardId: shard.shardId,
    status: shard.status,
    ...(shard.parentShardId ? { parentShardId: shard.parentShardId } : {}),
    ...(shard.adjacentParentShardId ? { adjacentParentShardId: shard.adjacentParentShardId } : {}),
    hashKeyRange: { start: shard.hashKeyStart.toString(), end: shard.hashKeyEnd.toString() },
    startingSequenceNumber: shard.startingSequenceNumber,
    ...(shard.endingSequenceNumber ? { endingSequenceNumber: shard.endingSequenceNumber } : {}),
  };
}

export function streamSummary(stream: Stream): StreamSummaryView {
  return {
    name: stream.name,
    arn: stream.arn,
    status: stream.status,
    mode: stream.mode,
    retentionHours: stream.retentionHours,
    createdAt: stream.createdAt.toISOString(),
    encryptionType: stream.encryptionType,
    ...(stream.keyId !== undefined ? { keyId: stream.keyId } : {}),
    maxRecordSizeKiB: stream.maxRecordSizeKiB ?? 1024,
    openShardCount: stream.shards.filter((s) => s.status === 'OPEN').length,
    consumerCount: stream.consumerCount,
  };
}

export function streamView(stream: Stream, tags: Tag[]): StreamView {
  return {
    ...streamSummary(stream),
    shards: stream.shards.map(shardView),
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value ?? ''])),
  };
}
