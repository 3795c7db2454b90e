import { TestScheduler } from 'rxjs/testing';
import { compileApplication } from './application';
import type { Row } from '../plan/types';
import { record, type Recorded } from '../testing/record';

/** The two use cases of the issue, compiled from SQL and run on in-memory rows in virtual time. */
describe('use cases', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it('IoT: per-device 1-minute averages and temperature alerts', () => {
    const sql = `
      CREATE OR REPLACE STREAM "DEVICE_AVERAGES" (device_id VARCHAR(32), window_start TIMESTAMP, avg_temperature DOUBLE, readings INTEGER);
      CREATE OR REPLACE STREAM "ALERTS" (device_id VARCHAR(32), temperature DOUBLE, level VARCHAR(8));
      CREATE OR REPLACE PUMP "AVERAGE_PUMP" AS INSERT INTO "DEVICE_AVERAGES"
        SELECT STREAM device_id, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' MINUTE), AVG(temperature), COUNT(*)
        FROM "SOURCE_SQL_STREAM_001"
        GROUP BY device_id, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' MINUTE);
      CREATE OR REPLACE PUMP "ALERT_PUMP" AS INSERT INTO "ALERTS"
        SELECT STREAM device_id, temperature, CASE WHEN temperature > 100 THEN 'critical' ELSE 'warning' END
        FROM "SOURCE_SQL_STREAM_001" WHERE temperature > 80;
    `;
    let averages!: Recorded<Row>;
    let alerts!: Recorded<Row>;
    scheduler.run(({ hot }) => {
      const app = compileApplication(sql, {
        scheduler,
        sources: { SOURCE_SQL_STREAM_001: { columns: { DEVICE_ID: 'VARCHAR(32)', TEMPERATURE: 'DOUBLE' } } },
      });
      const readings = hot<Row>('a 10s b 20s c 30s d 10s e 40s |', {
        a: { DEVICE_ID: 'd1', TEMPERATURE: 70 },
        b: { DEVICE_ID: 'd2', TEMPERATURE: 85 },
        c: { DEVICE_ID: 'd1', TEMPERATURE: 90 },
        d: { DEVICE_ID: 'd1', TEMPERATURE: 110 },
        e: { DEVICE_ID: 'd2', TEMPERATURE: 60 },
      });
      averages = record(app.output('DEVICE_AVERAGES'), scheduler);
      alerts = record(app.output('ALERTS'), scheduler);
      app.start({ SOURCE_SQL_STREAM_001: readings });
    });
    // Windows on ROWTIME (arrival time) close on the clock: the first minute's results at 60 s exactly.
    expect(averages.values).toEqual([
      [60_000, { ROWTIME: 60_000, DEVICE_ID: 'd1', WINDOW_START: 0, AVG_TEMPERATURE: 80, READINGS: 2 }],
      [60_000, { ROWTIME: 60_000, DEVICE_ID: 'd2', WINDOW_START: 0, AVG_TEMPERATURE: 85, READINGS: 1 }],
      // End of input closes the open window at once.
      [110_005, { ROWTIME: 120_000, DEVICE_ID: 'd1', WINDOW_START: 60_000, AVG_TEMPERATURE: 110, READINGS: 1 }],
      [110_005, { ROWTIME: 120_000, DEVICE_ID: 'd2', WINDOW_START: 60_000, AVG_TEMPERATURE: 60, READINGS: 1 }],
    ]);
    expect(alerts.values).toEqual([
      [10_001, { ROWTIME: 10_001, DEVICE_ID: 'd2', TEMPERATURE: 85, LEVEL: 'warning' }],
      [30_002, { ROWTIME: 30_002, DEVICE_ID: 'd1', TEMPERATURE: 90, LEVEL: 'warning' }],
      [60_003, { ROWTIME: 60_003, DEVICE_ID: 'd1', TEMPERATURE: 110, LEVEL: 'critical' }],
    ]);
    expect(alerts.completedAt).toBe(110_005);
  });

  it('log analytics: CSV-ish rows to per-status-code counts per 10 seconds, on event time', () => {
    const sql = `
      CREATE STREAM "STATUS_COUNTS" (window_start TIMESTAMP, status INTEGER, hits BIGINT, bytes BIGINT, p95_ms DOUBLE);
      CREATE PUMP "COUNT_PUMP" AS INSERT INTO "STATUS_COUNTS"
        SELECT STREAM TUMBLE_START(ts, INTERVAL '10' SECOND), status, COUNT(*), SUM(bytes), APPROX_PERCENTILE(latency_ms, 0.95)
        FROM "SOURCE_SQL_STREAM_001"
        GROUP BY TUMBLE(ts, INTERVAL '10' SECOND), status;
    `;
    // What a CSV input mapping gives: every value a string; the declared column types convert them.
    const line = (csv: string): Row => {
      const [ts, status, bytes, latency] = csv.split(',');
      return { TS: ts, STATUS: status, BYTES: bytes, LATENCY_MS: latency };
    };
    let counts!: Recorded<Row>;
    scheduler.run(({ hot }) => {
      const app = compileApplication(sql, {
        scheduler,
        sources: {
          SOURCE_SQL_STREAM_001: {
            columns: { TS: 'TIMESTAMP', STATUS: 'INTEGER', BYTES: 'INTEGER', LATENCY_MS: 'DOUBLE' },
            watermark: { maxOutOfOrdernessMs: 2000 },
          },
        },
      });
      const logs = hot<Row>('a b c d e f |', {
        a: line('1970-01-01T00:00:01Z,200,100,10'),
        b: line('1970-01-01T00:00:03Z,404,10,5'),
        c: line('1970-01-01T00:00:02Z,200,300,30'),
        d: line('1970-01-01T00:00:11Z,200,50,20'),
        e: line('1970-01-01T00:00:09Z,200,7,40'),
        f: line('1970-01-01T00:00:13Z,500,1,1000'),
      });
      counts = record(app.output('STATUS_COUNTS'), scheduler);
      app.start({ SOURCE_SQL_STREAM_001: logs });
    });
    // The watermark (13 s - 2 s) passes 10 s at row f (frame 5): the first window closes there, with e (9 s) counted; end of input (frame 6) closes the rest.
    expect(counts.values).toEqual([
      [5, { ROWTIME: 10_000, WINDOW_START: 0, STATUS: 200, HITS: 3, BYTES: 407, P95_MS: expect.any(Number) }],
      [5, { ROWTIME: 10_000, WINDOW_START: 0, STATUS: 404, HITS: 1, BYTES: 10, P95_MS: 5 }],
      [6, { ROWTIME: 20_000, WINDOW_START: 10_000, STATUS: 200, HITS: 1, BYTES: 50, P95_MS: 20 }],
      [6, { ROWTIME: 20_000, WINDOW_START: 10_000, STATUS: 500, HITS: 1, BYTES: 1, P95_MS: 1000 }],
    ]);
    expect(counts.values[0][1].P95_MS).toBeGreaterThanOrEqual(30);
  });
});
