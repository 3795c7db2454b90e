/**
 * Log analytics: CSV web-log lines on a stream; an analytics application counts requests per
 * status code per 10 seconds (event time from the lines) into a Shardline stream, and the
 * counts are watched live over SSE while they are produced. A line that does not parse goes
 * to the error stream, live too.
 */
import type { AnalyticsRuntime } from '@shardline/analytics';
import { eventually } from '../support/firehose';
import { createActive, rest, type Json } from '../support/rest';
import { SseClient } from '../support/sse';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { putLines, startTestAnalytics, waitApplication } from '../support/analytics';
import { randomName } from '../support/random-name';

const SQL = `
CREATE STREAM "STATUS_COUNTS" (status INTEGER, window_end TIMESTAMP, hits BIGINT);
CREATE PUMP "COUNT_PUMP" AS INSERT INTO "STATUS_COUNTS"
  SELECT STREAM status, TUMBLE_END(ts, INTERVAL '10' SECOND), COUNT(*)
  FROM SOURCE_SQL_STREAM_001
  GROUP BY status, TUMBLE(ts, INTERVAL '10' SECOND);
`;

describe('log analytics: status counts per 10 seconds to a stream and live', () => {
  let sl: TestPlatform;
  let analytics: AnalyticsRuntime;
  const sse: SseClient[] = [];

  beforeAll(async () => {
    sl = await startTestPlatform();
    analytics = await startTestAnalytics(sl);
  });
  afterAll(async () => {
    sse.forEach((c) => c.close());
    await analytics.close();
    await sl.close();
  });

  it('counts CSV lines per status and window, writes them to a stream and streams them live', async () => {
    const logs = randomName('weblogs');
    const counts = randomName('status-counts');
    await createActive(sl.endpoint, { name: logs, shardCount: 1 });
    await createActive(sl.endpoint, { name: counts, shardCount: 1 });
    const name = randomName('logs');
    const created = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: {
        streamName: logs,
        format: 'CSV',
        columns: [
          { name: 'HOST', type: 'VARCHAR(64)', path: 0 },
          { name: 'TS', type: 'TIMESTAMP', path: 1 },
          { name: 'REQUEST', type: 'VARCHAR(256)', path: 2 },
          { name: 'STATUS', type: 'INTEGER', path: 3 },
        ],
        time: { kind: 'eventColumn', column: 'TS' },
      },
      sql: SQL,
      outputs: [{ kind: 'stream', inAppStream: 'STATUS_COUNTS', streamName: counts, partitionKeyColumn: 'STATUS' }],
    });
    expect(created.status).toBe(201);
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'NOW' });
    await waitApplication(sl.endpoint, name, 'RUNNING');
    const live = await SseClient.open(`${sl.endpoint}/v1/analytics/applications/${name}/streams/status_counts/live`);
    const errors = await SseClient.open(`${sl.endpoint}/v1/analytics/applications/${name}/streams/error_stream/live`);
    sse.push(live, errors);
    expect(live.status).toBe(200);

    const line = (second: number, status: number) => `10.0.0.${second % 7},2026-01-01T12:00:${String(second).padStart(2, '0')}Z,"GET /p?a=1,2 HTTP/1.1",${status}`;
    await putLines(sl.endpoint, logs, [
      line(1, 200), line(2, 200), line(3, 404), line(4, 200), line(8, 500), line(9, 404),
      line(12, 200), line(15, 200),
      'garbage,not-a-time,"x",abc',
      line(23, 404), // closes 12:00:10-20
    ]);

    const expected = [
      { STATUS: 200, WINDOW_END: Date.parse('2026-01-01T12:00:10Z'), HITS: 3 },
      { STATUS: 404, WINDOW_END: Date.parse('2026-01-01T12:00:10Z'), HITS: 2 },
      { STATUS: 500, WINDOW_END: Date.parse('2026-01-01T12:00:10Z'), HITS: 1 },
      { STATUS: 200, WINDOW_END: Date.parse('2026-01-01T12:00:20Z'), HITS: 2 },
    ];
    const strip = ({ ROWTIME: _rowtime, ...rest }: Json) => rest;
    const byKey = (a: Json, b: Json) => a.WINDOW_END - b.WINDOW_END || a.STATUS - b.STATUS;

    await live.waitFor((c) => c.events.length >= 4);
    expect(live.events.every((e) => e.event === 'row')).toBe(true);
    expect(live.events.map((e) => strip(JSON.parse(e.data))).sort(byKey)).toEqual(expected);

    const stored = await eventually(async () => {
      const page = await rest(sl.endpoint, 'GET', `/v1/streams/${counts}/shards/shardId-000000000000/records?from=TRIM_HORIZON`);
      return page.body.records.length >= 4 && page.body.records;
    });
    expect(stored.map((r: Json) => strip(r.data)).sort(byKey)).toEqual(expected);
    expect(stored.map((r: Json) => r.partitionKey).sort()).toEqual(['200', '200', '404', '500']);

    await errors.waitFor((c) => c.events.length >= 1);
    expect(JSON.parse(errors.events[0].data)).toEqual(expect.objectContaining({ source: 'SOURCE_SQL_STREAM_001', error: expect.any(String) }));
  });

  it('previews SQL over the live stream without creating an application', async () => {
    const logs = randomName('weblogs');
    await createActive(sl.endpoint, { name: logs, shardCount: 1 });
    const before = (await rest(sl.endpoint, 'GET', '/v1/analytics/applications')).body.applications.length;
    const previewing = rest(sl.endpoint, 'POST', '/v1/analytics/preview', {
      input: { streamName: logs, format: 'CSV', columns: [{ name: 'HOST', type: 'VARCHAR(64)' }, { name: 'TS', type: 'TIMESTAMP' }, { name: 'REQUEST', type: 'VARCHAR(256)' }, { name: 'STATUS', type: 'INTEGER' }] },
      sql: SQL,
      durationMs: 1500,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    await putLines(sl.endpoint, logs, ['h,2026-01-01T00:00:01Z,GET,200', 'h,2026-01-01T00:00:02Z,GET,200', 'h,2026-01-01T00:00:03Z,GET,503']);
    const answer = await previewing;
    expect(answer.status).toBe(200);
    expect(answer.body.stream).toBe('STATUS_COUNTS');
    // The end of the preview closes the windows still open.
    expect(answer.body.rows.map(({ STATUS, HITS }: Json) => [STATUS, HITS]).sort()).toEqual([[200, 2], [503, 1]]);
    expect((await rest(sl.endpoint, 'GET', '/v1/analytics/applications')).body.applications).toHaveLength(before);
  });
});
