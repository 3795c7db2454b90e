import { analyticsInput } from './model';
import { ARRIVAL_COLUMN, parsePath, rowMapper, sourceDefinition } from './row-mapping';

const bytes = (text: string) => Buffer.from(text);

describe('row mapping', () => {
  it('parses paths', () => {
    expect(parsePath('$.a.b[2].c')).toEqual(['a', 'b', 2, 'c']);
    expect(parsePath('$')).toEqual([]);
  });

  it('reads JSON by path, missing values as NULL, and the arrival time when asked', () => {
    const input = analyticsInput.parse({
      streamName: 's',
      format: 'JSON',
      columns: [
        { name: 'DEVICE', type: 'VARCHAR(8)', path: '$.device.id' },
        { name: 'TEMP', type: 'DOUBLE', path: '$.readings[1]' },
        { name: 'ts', type: 'TIMESTAMP' },
        { name: 'MISSING', type: 'INTEGER', path: '$.nope.x' },
      ],
      time: { kind: 'arrival' },
    });
    const row = rowMapper(input)(bytes('{"device":{"id":"d1"},"readings":[1,81.5],"ts":"2026-01-01T00:00:00Z"}'), 42);
    expect(row).toEqual({ DEVICE: 'd1', TEMP: 81.5, ts: '2026-01-01T00:00:00Z', MISSING: null, [ARRIVAL_COLUMN]: 42 });
    expect(sourceDefinition(input).columns).toEqual({ DEVICE: 'VARCHAR(8)', TEMP: 'DOUBLE', ts: 'TIMESTAMP', MISSING: 'INTEGER', [ARRIVAL_COLUMN]: 'TIMESTAMP' });
    expect(() => rowMapper(input)(bytes('not json'), 0)).toThrow();
  });

  it('reads CSV by index or position, empty fields as NULL', () => {
    const input = analyticsInput.parse({
      streamName: 's',
      format: 'CSV',
      columns: [
        { name: 'HOST', type: 'VARCHAR(64)' },
        { name: 'STATUS', type: 'INTEGER', path: 3 },
        { name: 'BYTES', type: 'BIGINT', path: 4 },
      ],
    });
    expect(rowMapper(input)(bytes('10.0.0.1,-,"GET / HTTP/1.1",404,\n'), 0)).toEqual({ HOST: '10.0.0.1', STATUS: '404', BYTES: null });
    expect(sourceDefinition(input).watermark).toEqual({});
  });
});
