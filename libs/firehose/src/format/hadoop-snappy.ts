/**
 * Hadoop's block-compressed Snappy stream (Hadoop's BlockCompressorStream framing, which
 * Firehose writes for HADOOP_SNAPPY; the guide points at BlockCompressorStream.java):
 *   block := uncompressedLength:u32be ( compressedLength:u32be snappyRawBlock )+
 * Written by hand: no npm library writes this framing; the raw blocks come from `snappy`.
 */
import { compressSync, uncompressSync } from 'snappy';

/** Blocks of 32 KiB, as snappy-java's SnappyHadoopCompatibleOutputStream (what Firehose uses) writes. */
const BLOCK_SIZE = 32 * 1024;

export function hadoopSnappyCompress(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < data.length; offset += BLOCK_SIZE) {
    const chunk = data.subarray(offset, offset + BLOCK_SIZE);
    const compressed = compressSync(chunk);
    const header = Buffer.alloc(8);
    header.writeUInt32BE(chunk.length, 0);
    header.writeUInt32BE(compressed.length, 4);
    parts.push(header, compressed);
  }
  return Buffer.concat(parts);
}

export function hadoopSnappyDecompress(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  const readLength = (): number => {
    if (offset + 4 > data.length) throw new Error('truncated Hadoop snappy stream');
    const value = data.readUInt32BE(offset);
    offset += 4;
    return value;
  };
  while (offset < data.length) {
    const expected = readLength();
    let produced = 0;
    while (produced < expected) {
      const length = readLength();
      const raw = uncompressSync(data.subarray(offset, offset + length), { asBuffer: true }) as Buffer;
      offset += length;
      parts.push(raw);
      produced += raw.length;
    }
    if (produced !== expected) throw new Error(`Hadoop snappy block holds ${produced} bytes, header says ${expected}`);
  }
  return Buffer.concat(parts);
}
