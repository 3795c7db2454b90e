import { discoverSchema } from './schema-discovery';

const records = (...values: unknown[]) => values.map((v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)));

describe('discoverSchema', () => {
  it('flattens JSON objects into $.a.b paths with the narrowest SQL type of every value', () => {
    const schema = discoverSchema(
      records(
        { device: { id: 'd-1', site: { name: 'lab' } }, temp: 21, ok: true, ts: '2026-01-01T12:00:00Z', count: 3, big: 1, tags: ['a'] },
        { device: { id: 'device-22' }, temp: 22.5, ok: false, ts: '2026-01-01T12:00:01.250+01:00', count: null, big: 2 ** 40 },
      ),
    );
    expect(schema).toEqual({
      format: 'JSON',
      sampledRecords: 2,
      columns: [
        { name: 'DEVICE_ID', type: 'VARCHAR(9)', path: '$.device.id' },
        { name: 'DEVICE_SITE_NAME', type: 'VARCHAR(3)', path: '$.device.site.name' },
        { name: 'TEMP', type: 'DOUBLE', path: '$.temp' },
        { name: 'OK', type: 'BOOLEAN', path: '$.ok' },
        { name: 'TS', type: 'TIMESTAMP', path: '$.ts' },
        { name: 'COUNT', type: 'INTEGER', path: '$.count' },
        { name: 'BIG', type: 'BIGINT', path: '$.big' },
      ],
    });
  });

  it('widens mixed kinds to VARCHAR, prefixes reserved words and leading digits, numbers repeated names', () => {
    const schema = discoverSchema(records({ v: 1, from: 'x', '1st': 2, 'a-b': 1, a_b: 2, only_null: null }, { v: 'seven', from: 'yy' }), 'JSON');
    expect(schema.columns).toEqual([
      { name: 'V', type: 'VARCHAR(5)', path: '$.v' },
      { name: 'COL_FROM', type: 'VARCHAR(2)', path: '$.from' },
      { name: 'COL_1ST', type: 'INTEGER', path: '$.1st' },
      { name: 'A_B', type: 'INTEGER', path: '$.a-b' },
      { name: 'A_B_2', type: 'INTEGER', path: '$.a_b' },
      { name: 'ONLY_NULL', type: 'VARCHAR(1)', path: '$.only_null' },
    ]);
  });

  it('reads CSV lines as COLUMN1..n with field indexes, detecting the format', () => {
    const schema = discoverSchema(
      records('10.0.0.1,2026-01-01T12:00:01Z,"GET /a,b HTTP/1.1",200,0.5,true', '10.0.0.12,2026-01-01T12:00:02Z,GET /,404,1,false', 'h,2026-01-01T12:00:03Z,x,,2,TRUE'),
    );
    expect(schema).toEqual({
      format: 'CSV',
      sampledRecords: 3,
      columns: [
        { name: 'COLUMN1', type: 'VARCHAR(9)', path: 0 },
        { name: 'COLUMN2', type: 'TIMESTAMP', path: 1 },
        { name: 'COLUMN3', type: 'VARCHAR(17)', path: 2 },
        { name: 'COLUMN4', type: 'INTEGER', path: 3 },
        { name: 'COLUMN5', type: 'DOUBLE', path: 4 },
        { name: 'COLUMN6', type: 'BOOLEAN', path: 5 },
      ],
    });
  });

  it('takes the format it is given, and answers no columns for an empty sample', () => {
    expect(discoverSchema(records('1,2', '3,4'), 'JSON')).toEqual({ format: 'JSON', columns: [], sampledRecords: 2 });
    expect(discoverSchema(records('x;y'), 'CSV').columns).toEqual([{ name: 'COLUMN1', type: 'VARCHAR(3)', path: 0 }]);
    expect(discoverSchema([])).toEqual({ format: 'CSV', columns: [], sampledRecords: 0 });
  });
});
