/**
 * snappy-java's stream format (SnappyOutputStream / SnappyInputStream), what Firehose writes
 * for CompressionFormat Snappy (objects carry Content-Encoding `snappy-java`):
 *   header := 0x82 "SNAPPY" 0x00, version:i32be (1), minCompatibleVersion:i32be (1)
 *   then    ( compressedLength:i32be rawSnappyBlock )*   each block holds <= 32 KiB of input
 * Written by hand: no npm library speaks this framing (the `snappy` package writes raw blocks
 * and the standard framing format); the raw blocks come from `snappy`.
 */
import { compressSync, uncompressSync } from 'snappy';

const MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const HEADER_LENGTH = MAGIC.length + 8;
/** snappy-java's SnappyOutputStream.DEFAULT_BLOCK_SIZE. */
const BLOCK_SIZE = 32 * 1024;

/** Whether a body starts with snappy-java's stream header. */
export function isSnappyJavaStream(data: Buffer): boolean {
  return data.length >= HEADER_LENGTH && data.subarray(0, MAGIC.length).equals(MAGIC);
}

export function snappyJavaCompress(data: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(header);
  header.writeInt32BE(1, MAGIC.length);
  header.writeInt32BE(1, MAGIC.length + 4);
  const parts: Buffer[] = [header];
  for (let offset = 0; offset < data.length; offset += BLOCK_SIZE) {
    const compressed = compressSync(data.subarray(offset, offset + BLOCK_SIZE));
    const length = Buffer.alloc(4);
    length.writeInt32BE(compressed.length);
    parts.push(length, compressed);
  }
  return Buffer.concat(parts);
}

export function snappyJavaDecompress(data: Buffer): Buffer {
  if (!isSnappyJavaStream(data)) throw new Error('not a snappy-java stream (magic header missing)');
  const parts: Buffer[] = [];
  let offset = HEADER_LENGTH;
  while (offset < data.length) {
    if (offset + 4 > data.length) throw new Error('truncated snappy-java stream');
    const length = data.readInt32BE(offset);
    offset += 4;
    if (offset + length > data.length) throw new Error('truncated snappy-java stream');
    parts.push(uncompressSync(data.subarray(offset, offset + length), { asBuffer: true }) as Buffer);
    offset += length;
  }
  return Buffer.concat(parts);
}
