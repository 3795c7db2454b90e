/**
 * The preview route with a bare SELECT: over a stream with a given mapping, over a DirectPut
 * delivery stream whose mapping is discovered from its stored records, a windowed aggregate
 * emitted when the preview ends, and SQL mistakes pointing at the line and column as written.
 */
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { createActive, rest, type RestAnswer } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { putJson } from '../support/analytics';
import { randomName } from '../support/random-name';
import { BUCKET_ARN, ROLE_ARN, firehoseClient, removeDeliveryStorage, waitStatus } from '../firehose/support';

describe('preview of a bare SELECT', () => {
  let sl: TestPlatform;
  let firehose: FirehoseClient;

  beforeAll(async () => {
    sl = await startTestPlatform();
    firehose = firehoseClient(sl.endpoint);
  });
  afterAll(async () => {
    firehose?.destroy();
    if (sl) {
      await removeDeliveryStorage(sl.config.databaseUrl);
      await sl.close();
    }
  });

  /** Runs the preview while `put` keeps adding records (the preview reads from now on), until it answers. */
  async function previewWhile(body: object, put: (n: number) => Promise<void>): Promise<RestAnswer> {
    let done = false;
    const answer = rest(sl.endpoint, 'POST', '/v1/analytics/preview', body).finally(() => (done = true));
    for (let n = 0; !done && n < 200; n++) {
      await put(n);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    return answer;
  }

  it('streams the rows of a SELECT STREAM over a stream, named by alias or column, until the limit', async () => {
    const stream = randomName('pv-sel');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const answer = await previewWhile(
      {
        input: { streamName: stream, format: 'JSON', columns: [{ name: 'DEVICE_ID', type: 'VARCHAR(8)', path: '$.device' }, { name: 'TEMP', type: 'DOUBLE', path: '$.temp' }] },
        sql: 'SELECT STREAM device_id, temp * 2 AS doubled, UPPER(device_id)\nFROM SOURCE_SQL_STREAM_001\nWHERE temp > 10',
        durationMs: 20_000,
        limit: 3,
      },
      (n) => putJson(sl.endpoint, stream, [{ key: 'k', data: { device: `d${n}`, temp: n % 2 ? 20 + n : 5 } }]),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.stream).toBe('PREVIEW_STREAM');
    expect(answer.body.rows).toHaveLength(3);
    for (const row of answer.body.rows) {
      expect(Object.keys(row).sort()).toEqual(['DEVICE_ID', 'DOUBLED', 'EXPR$2', 'ROWTIME']);
      const n = Number(String(row.DEVICE_ID).slice(1));
      expect(n % 2).toBe(1);
      expect(row.DOUBLED).toBe(2 * (20 + n));
      expect(row.EXPR$2).toBe(`D${n}`);
    }
  }, 120_000);

  it('discovers a DirectPut delivery stream’s mapping from its records and emits the open window at the end', async () => {
    const DeliveryStreamName = randomName('pv-dp');
    await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName, DeliveryStreamType: 'DirectPut', ExtendedS3DestinationConfiguration: { RoleARN: ROLE_ARN, BucketARN: BUCKET_ARN } }));
    await waitStatus(firehose, DeliveryStreamName);
    const put = (records: object[]) =>
      firehose.send(new PutRecordBatchCommand({ DeliveryStreamName, Records: records.map((r) => ({ Data: Buffer.from(JSON.stringify(r)) })) }));
    // The sample the mapping is discovered from (no Firehose role runs here: the records stay).
    await put([{ device: 'a', temp: 1.5 }, { device: 'b', temp: 2 }]);
    const discovered = await rest(sl.endpoint, 'POST', '/v1/analytics/discover-schema', { deliveryStreamName: DeliveryStreamName });
    expect(discovered.status).toBe(200);
    expect(discovered.body).toMatchObject({ format: 'JSON', sampledRecords: 2, columns: [{ name: 'DEVICE' }, { name: 'TEMP', type: 'DOUBLE' }] });
    const seen: Record<string, number> = {};
    const answer = await previewWhile(
      {
        input: { deliveryStreamName: DeliveryStreamName },
        sql: `SELECT STREAM device, COUNT(*) AS readings FROM "SOURCE_SQL_STREAM_001" GROUP BY device, STEP(ROWTIME BY INTERVAL '1' HOUR)`,
        durationMs: 2_500,
      },
      async (n) => {
        const device = n % 2 ? 'x' : 'y';
        await put([{ device, temp: n }]);
        seen[device] = (seen[device] ?? 0) + 1;
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.discovered).toEqual({
      format: 'JSON',
      columns: [
        { name: 'DEVICE', type: 'VARCHAR(1)', path: '$.device' },
        { name: 'TEMP', type: 'DOUBLE', path: '$.temp' },
      ],
    });
    // Records put before the preview began are not read; every record put while it ran is counted (one window in an hour,
    // or two when the hour turned).
    const counted: Record<string, number> = {};
    for (const row of answer.body.rows as Array<{ DEVICE: string; READINGS: number }>) counted[row.DEVICE] = (counted[row.DEVICE] ?? 0) + row.READINGS;
    expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    for (const device of Object.keys(counted)) expect(counted[device]).toBeLessThanOrEqual(seen[device]);
  }, 120_000);

  it('answers SQL mistakes with the line and column of the SELECT as written, and unknown inputs with 404', async () => {
    const stream = randomName('pv-err');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const input = { streamName: stream, format: 'JSON', columns: [{ name: 'A', type: 'INTEGER' }] };
    const syntax = await rest(sl.endpoint, 'POST', '/v1/analytics/preview', { input, sql: 'SELECT STREAM a\n  FROM FROM', durationMs: 100 });
    expect(syntax.status).toBe(400);
    expect(syntax.body).toMatchObject({ line: 2, column: 8 });
    const unknownColumn = await rest(sl.endpoint, 'POST', '/v1/analytics/preview', { input, sql: 'SELECT STREAM nope FROM SOURCE_SQL_STREAM_001', durationMs: 100 });
    expect(unknownColumn.status).toBe(400);
    expect(unknownColumn.body).toMatchObject({ line: 1, column: 15 });
    const missing = await rest(sl.endpoint, 'POST', '/v1/analytics/preview', { input: { deliveryStreamName: randomName('none') }, sql: 'SELECT STREAM * FROM SOURCE_SQL_STREAM_001' });
    expect(missing.status).toBe(404);
    expect(missing.contentType).toMatch(/application\/problem\+json/);
    const empty = await rest(sl.endpoint, 'POST', '/v1/analytics/preview', { input: { streamName: stream }, sql: 'SELECT STREAM * FROM SOURCE_SQL_STREAM_001' });
    expect(empty.status).toBe(400);
    expect(JSON.stringify(empty.body)).toMatch(/no records to discover/);
  });
});
