/**
 * The wire format of an append sent to a shard actor in another process (a NATS request on
 * the actor's subject): the record-batch messages to publish, in order.
 *
 *   request: count u16 | count × (length u32 | message bytes)
 *   reply:   JSON {"seqs": number[], "admitted"?: number} or {"error": {"type", "message"}}
 *
 * `admitted` is present only when the shard's write limit refused some records: the
 * records admitted (a prefix of the request's), whose messages `seqs` numbers.
 *
 * An append larger than one request is sent as a group of requests with the headers
 * below; the owner appends the group when its last request arrives and answers that one
 * with every sequence (earlier ones get {"seqs": []}).
 */
export const APPEND_GROUP_HEADER = 'Sl-Append-Group';
/** "i/n": this request's place in its group. */
export const APPEND_PART_HEADER = 'Sl-Append-Part';
import type { ErrorType } from '@shardline/protocol';

export type AppendReply = { seqs: number[]; admitted?: number } | { error: { type: ErrorType; message: string } };

export function encodeAppendRequest(messages: readonly Uint8Array[]): Buffer {
  let size = 2;
  for (const m of messages) size += 4 + m.length;
  const buf = Buffer.allocUnsafe(size);
  buf.writeUInt16LE(messages.length, 0);
  let offset = 2;
  for (const m of messages) {
    buf.writeUInt32LE(m.length, offset);
    buf.set(m, offset + 4);
    offset += 4 + m.length;
  }
  return buf;
}

/** The messages of a request; each is a copy the actor may stamp in place. */
export function decodeAppendRequest(data: Uint8Array): Buffer[] {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const count = buf.readUInt16LE(0);
  const messages: Buffer[] = [];
  let offset = 2;
  for (let i = 0; i < count; i++) {
    const length = buf.readUInt32LE(offset);
    messages.push(Buffer.from(buf.subarray(offset + 4, offset + 4 + length)));
    offset += 4 + length;
  }
  return messages;
}

/** Size of a request holding these messages, to keep each request under the server's limit. */
export function appendRequestSize(messages: readonly Uint8Array[]): number {
  return messages.reduce((size, m) => size + 4 + m.length, 2);
}
