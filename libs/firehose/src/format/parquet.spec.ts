import { ParquetReader } from '@dsnp/parquetjs';

// thrift (under parquetjs) requires an ESM-only uuid; jest.config.js maps `uuid` to the CommonJS build.
import { testRecord } from '../processing/testing';
import { toParquet, type ParquetCompression } from './parquet';
import { parseHiveType } from './hive-schema';

const columns = [
  { Name: 'name', Type: 'string' },
  { Name: 'n', Type: 'int' },
  { Name: 'big', Type: 'bigint' },
  { Name: 'd', Type: 'double' },
  { Name: 'f', Type: 'float' },
  { Name: 'ok', Type: 'boolean' },
  { Name: 'ts', Type: 'timestamp' },
  { Name: 'day', Type: 'date' },
  { Name: 'price', Type: 'decimal(10,2)' },
  { Name: 'tags', Type: 'array<string>' },
  { Name: 'addr', Type: 'struct<city:string,zip:int>' },
];

/** parquetjs reads an absent optional column back as null. */
const absent = Object.fromEntries(columns.map((c) => [c.Name, null]));

/** The codec of the first column chunk (parquet.thrift CompressionCodec: 0 none, 1 snappy, 2 gzip). */
async function codec(body: Buffer): Promise<number | undefined> {
  const reader = await ParquetReader.openBuffer(body);
  const value = reader.metadata?.row_groups[0].columns[0].meta_data?.codec;
  await reader.close();
  return value;
}

async function rows(body: Buffer): Promise<Record<string, unknown>[]> {
  const reader = await ParquetReader.openBuffer(body);
  const cursor = reader.getCursor();
  const out: Record<string, unknown>[] = [];
  for (let row = await cursor.next(); row; row = await cursor.next()) out.push(row as Record<string, unknown>);
  await reader.close();
  return out;
}

describe('Parquet conversion', () => {
  it.each<ParquetCompression>(['SNAPPY', 'GZIP', 'UNCOMPRESSED'])('writes rows parquetjs reads back with their types (%s)', async (compression) => {
    const result = await toParquet(
      [
        testRecord({ Name: 'a', n: 5, big: '9007199254740993', d: 1.5, f: 2.5, ok: true, ts: '2024-01-02T03:04:05.123Z', day: '2024-01-02', price: '12.34', tags: ['x', 'y'], addr: { city: 'Paris', zip: 75001 }, extra: 'ignored' }),
        testRecord({ name: 'b', n: '6', ts: 1704164645, ok: 'false' }, 1),
      ],
      { columns, compression },
    );
    expect(result.failed).toEqual([]);
    expect(await codec(result.body!)).toBe({ UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2 }[compression]);
    expect(await rows(result.body!)).toEqual([
      {
        name: 'a',
        n: 5,
        big: 9007199254740993n,
        d: 1.5,
        f: 2.5,
        ok: true,
        ts: new Date('2024-01-02T03:04:05.123Z'),
        day: new Date('2024-01-02T00:00:00Z'),
        price: 12.34,
        tags: ['x', 'y'],
        addr: { city: 'Paris', zip: 75001 },
      },
      { ...absent, name: 'b', n: 6, ok: false, ts: new Date('2024-01-02T03:04:05Z') },
    ]);
  });

  it('routes records that are not JSON or do not fit the schema to format-conversion-failed', async () => {
    const good = testRecord({ name: 'ok', n: 1 }, 0);
    const result = await toParquet(
      [good, testRecord('not json', 1), testRecord({ n: 'abc' }, 2), testRecord({ n: 2 ** 31 }, 3), testRecord({ price: '123456789.1' }, 4), testRecord([1, 2], 5)],
      { columns },
    );
    expect(result.records).toEqual([good]);
    expect(result.failed.map((f) => [f.record.recordId, f.type, f.errorCode])).toEqual([
      ['r1', 'format-conversion-failed', 'DataFormatConversion.MalformedData'],
      ['r2', 'format-conversion-failed', 'DataFormatConversion.MalformedData'],
      ['r3', 'format-conversion-failed', 'DataFormatConversion.MalformedData'],
      ['r4', 'format-conversion-failed', 'DataFormatConversion.MalformedData'],
      ['r5', 'format-conversion-failed', 'DataFormatConversion.MalformedData'],
    ]);
    expect(result.failed[1].errorMessage).toBe('Cannot convert value "abc" of column n to int');
    expect(await rows(result.body!)).toEqual([{ ...absent, name: 'ok', n: 1 }]);
  });

  it('writes no file when nothing converts', async () => {
    const result = await toParquet([testRecord('x')], { columns });
    expect(result.body).toBeUndefined();
    expect(result.failed).toHaveLength(1);
  });

  it('parses Hive types and refuses the unsupported ones', () => {
    expect(parseHiveType('array<struct<a:int,b:varchar(10)>>')).toEqual({
      kind: 'array',
      element: { kind: 'struct', fields: [{ name: 'a', type: { kind: 'int', bits: 32 } }, { name: 'b', type: { kind: 'string' } }] },
    });
    expect(parseHiveType('decimal')).toEqual({ kind: 'decimal', precision: 10, scale: 0 });
    expect(() => parseHiveType('map<string,int>')).toThrow(/Unsupported column type: map/);
    expect(() => parseHiveType('int extra')).toThrow(/Unexpected text/);
  });
});
