import { gunzipSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import { uncompressSync } from 'snappy';
import { codecFor, compress, COMPRESSION_FORMATS, decompress, snappyFramed } from './compression';

/** Jest's toEqual walks a Buffer byte by byte (seconds for 100 KB); compare natively. */
const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

const body = Buffer.from(Array.from({ length: 3000 }, (_, i) => JSON.stringify({ i, customer: `c${i % 7}` }) + '\n').join(''));

describe('compression formats', () => {
  it.each(COMPRESSION_FORMATS)('%s round-trips', async (format) => {
    const packed = await compress(format, body, 'orders-1');
    expect(sameBytes(await decompress(format, packed), body)).toBe(true);
    expect(await decompress(format, await compress(format, Buffer.alloc(0)))).toEqual(Buffer.alloc(0));
  });

  it('names extensions and encodings as the service delivers them', () => {
    expect(COMPRESSION_FORMATS.map((f) => [f, codecFor(f).extension, codecFor(f).contentEncoding])).toEqual([
      ['UNCOMPRESSED', '', undefined],
      ['GZIP', '.gz', 'gzip'],
      ['ZIP', '.zip', 'zip'],
      ['Snappy', '.snappy', 'snappy-java'],
      ['HADOOP_SNAPPY', '.snappy', 'hadoop-snappy'],
    ]);
  });

  it('GZIP is readable by zlib', async () => {
    expect(sameBytes(gunzipSync(await compress('GZIP', body)), body)).toBe(true);
  });

  it('ZIP holds one entry readable by fflate', async () => {
    const entries = unzipSync(await compress('ZIP', body, 'orders-1-2024'));
    expect(Object.keys(entries)).toEqual(['orders-1-2024']);
    expect(sameBytes(Buffer.from(entries['orders-1-2024']), body)).toBe(true);
  });

  it('Snappy is a snappy-java stream: magic, versions, then length-prefixed raw blocks of 32 KiB', async () => {
    const packed = await compress('Snappy', body);
    expect(packed.subarray(0, 16)).toEqual(Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]));
    const firstLength = packed.readInt32BE(16);
    expect((uncompressSync(packed.subarray(20, 20 + firstLength), { asBuffer: true }) as Buffer).length).toBe(32 * 1024);
  });

  it('Snappy decompression also reads the standard framing format', async () => {
    const framed = await snappyFramed(body);
    // 0xff chunk, length 6, "sNaPpY"
    expect(framed.subarray(0, 10)).toEqual(Buffer.from([0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59]));
    expect(sameBytes(await decompress('Snappy', framed), body)).toBe(true);
  });

  it('HADOOP_SNAPPY is Hadoop block framing around raw snappy blocks', async () => {
    const big = Buffer.concat([body, body, body, body]);
    const packed = await compress('HADOOP_SNAPPY', big);
    const firstBlock = packed.readUInt32BE(0);
    const firstChunk = packed.readUInt32BE(4);
    expect(firstBlock).toBe(32 * 1024);
    expect((uncompressSync(packed.subarray(8, 8 + firstChunk), { asBuffer: true }) as Buffer).length).toBe(firstBlock);
    expect(sameBytes(await decompress('HADOOP_SNAPPY', packed), big)).toBe(true);
    await expect(decompress('HADOOP_SNAPPY', packed.subarray(0, 6))).rejects.toThrow(/truncated/);
  });
});
