/**
 * A stream-stream join end to end: one input stream carries orders and payments (JSON with a
 * `kind`); two pumps split them into in-application streams, and a third joins a payment to its
 * order when it comes within a minute after it (an interval join on event time), into a
 * Shardline stream. Pairs outside the window — a payment before its order, or more than a
 * minute after — do not match; a payment that comes before its order (in the stream) does.
 */
import type { AnalyticsRuntime } from '@shardline/analytics';
import { eventually } from '../support/firehose';
import { createActive, rest } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { putJson, startTestAnalytics, waitApplication } from '../support/analytics';
import { randomName } from '../support/random-name';

const SQL = `
CREATE STREAM "ORDERS" (order_id VARCHAR(16), amount DOUBLE, ts TIMESTAMP);
CREATE STREAM "PAYMENTS" (order_id VARCHAR(16), amount DOUBLE, ts TIMESTAMP);
CREATE STREAM "PAID" (order_id VARCHAR(16), ordered DOUBLE, paid DOUBLE, order_ts TIMESTAMP, paid_ts TIMESTAMP);
CREATE PUMP "SPLIT_ORDERS" AS INSERT INTO "ORDERS"
  SELECT STREAM order_id, amount, ts FROM SOURCE_SQL_STREAM_001 WHERE kind = 'order';
CREATE PUMP "SPLIT_PAYMENTS" AS INSERT INTO "PAYMENTS"
  SELECT STREAM order_id, amount, ts FROM SOURCE_SQL_STREAM_001 WHERE kind = 'payment';
CREATE PUMP "MATCH" AS INSERT INTO "PAID"
  SELECT STREAM o.order_id, o.amount, p.amount, o.ts, p.ts
  FROM "ORDERS" AS o
  JOIN "PAYMENTS" AS p ON o.order_id = p.order_id AND p.ts BETWEEN o.ts AND o.ts + INTERVAL '1' MINUTE;
`;

const at = (time: string) => `2026-01-01T${time}Z`;
const ms = (time: string) => Date.parse(at(time));

describe('a stream-stream join: payments matched to their orders within a minute', () => {
  let sl: TestPlatform;
  let analytics: AnalyticsRuntime;

  beforeAll(async () => {
    sl = await startTestPlatform();
    analytics = await startTestAnalytics(sl);
  });
  afterAll(async () => {
    await analytics.close();
    await sl.close();
  });

  it('emits the pairs within the window and none outside it', async () => {
    const events = randomName('shop-events');
    const paid = randomName('paid');
    await createActive(sl.endpoint, { name: events, shardCount: 1 });
    await createActive(sl.endpoint, { name: paid, shardCount: 1 });
    const name = randomName('orders-payments');
    const created = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: {
        streamName: events,
        format: 'JSON',
        columns: [
          { name: 'KIND', type: 'VARCHAR(8)', path: '$.kind' },
          { name: 'ORDER_ID', type: 'VARCHAR(16)', path: '$.order' },
          { name: 'AMOUNT', type: 'DOUBLE', path: '$.amount' },
          { name: 'TS', type: 'TIMESTAMP', path: '$.ts' },
        ],
        time: { kind: 'eventColumn', column: 'TS' },
      },
      sql: SQL,
      outputs: [{ kind: 'stream', inAppStream: 'PAID', streamName: paid }],
    });
    expect(created.status).toBe(201);
    expect(created.body.inAppStreams).toEqual(['ORDERS', 'PAYMENTS', 'PAID']);
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'TRIM_HORIZON' });
    await waitApplication(sl.endpoint, name, 'RUNNING');

    const order = (id: string, amount: number, time: string) => ({ key: id, data: { kind: 'order', order: id, amount, ts: at(time) } });
    const payment = (id: string, amount: number, time: string) => ({ key: id, data: { kind: 'payment', order: id, amount, ts: at(time) } });
    await putJson(sl.endpoint, events, [
      order('o1', 10, '12:00:00'),
      order('o2', 20, '12:00:10'),
      order('o3', 30, '12:00:20'),
      payment('o3', 30, '12:00:19'), // before its order: no match
      payment('o1', 10, '12:00:30'), // within the minute: a match
      payment('o4', 40, '12:00:45'), // before its order arrives (in the stream), within its minute: a match
      order('o4', 40, '12:00:40'),
      payment('o2', 20, '12:02:00'), // 110 s after its order: no match
      payment('nobody', 5, '12:02:05'), // no order at all
      order('o9', 90, '12:02:30'),
      payment('o9', 90, '12:03:30'), // the window's last instant (BETWEEN is inclusive): a match
    ]);

    const read = async () => {
      const page = await rest(sl.endpoint, 'GET', `/v1/streams/${paid}/shards/shardId-000000000000/records?from=TRIM_HORIZON`);
      const rows = (page.body.records as Array<{ data: Record<string, unknown> }>).map((r) => r.data);
      return rows.some((r) => r.ORDER_ID === 'o9') ? rows : undefined;
    };
    const rows = await eventually(read, 10_000);
    // Rows arrive in the order of their input; the last pair (o9) means everything before it was handled.
    expect(rows.map(({ ROWTIME: _rowtime, ...row }) => row)).toEqual([
      { ORDER_ID: 'o1', ORDERED: 10, PAID: 10, ORDER_TS: ms('12:00:00'), PAID_TS: ms('12:00:30') },
      { ORDER_ID: 'o4', ORDERED: 40, PAID: 40, ORDER_TS: ms('12:00:40'), PAID_TS: ms('12:00:45') },
      { ORDER_ID: 'o9', ORDERED: 90, PAID: 90, ORDER_TS: ms('12:02:30'), PAID_TS: ms('12:03:30') },
    ]);
    await rest(sl.endpoint, 'DELETE', `/v1/analytics/applications/${name}`);
  }, 20_000);
});
