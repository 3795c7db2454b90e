import { parseColumns, parseOutput } from './analytics';

describe('shardline analytics flags', () => {
  it('reads --columns as name:TYPE[:path], keeping commas inside a type and numeric paths as CSV indexes', () => {
    expect(parseColumns('DEVICE:VARCHAR(16):$.device.id, PRICE:DECIMAL(10,2):$.price,N:INTEGER,STATUS:INTEGER:3')).toEqual([
      { name: 'DEVICE', type: 'VARCHAR(16)', path: '$.device.id' },
      { name: 'PRICE', type: 'DECIMAL(10,2)', path: '$.price' },
      { name: 'N', type: 'INTEGER' },
      { name: 'STATUS', type: 'INTEGER', path: 3 },
    ]);
    expect(() => parseColumns('JUSTANAME')).toThrow('--columns: "JUSTANAME" is not name:TYPE[:path]');
  });

  it('reads --output as IN_APP=kind:target', () => {
    expect(parseOutput('HOT=stream:alerts')).toEqual({ kind: 'stream', inAppStream: 'HOT', streamName: 'alerts' });
    expect(parseOutput('HOT=deliveryStream:to-s3')).toEqual({ kind: 'deliveryStream', inAppStream: 'HOT', deliveryStreamName: 'to-s3' });
    expect(parseOutput('error_stream=webhook:https://x.test/hook?a=1')).toEqual({ kind: 'webhook', inAppStream: 'error_stream', url: 'https://x.test/hook?a=1' });
    expect(() => parseOutput('HOT=postgres:t')).toThrow(/is not IN_APP_STREAM=stream/);
  });
});
