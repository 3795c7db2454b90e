/**
 * `node -r @swc-node/register bench/sql-window.ts` (and the `analytics` phase of `npm run bench`): a tumbling 10-second GROUP BY over 1,000 keys,
 * compiled from SQL and fed from memory in one process.
 *
 * 1. Throughput, event time: 2,000,000 rows (one second of event time per 10,000 rows, so a window
 *    closes every 100,000 rows); rows/s through admission, the window and the projection. The
 *    latency column is from the row that moves the watermark past a window's end to that window's
 *    first result.
 * 2. Latency, processing time (ROWTIME windows of 1 s on the real clock, 3 s of rows fed in
 *    batches): how long after each window's end its results appear.
 */
import { asyncScheduler, Observable } from 'rxjs';
import { compileApplication, type Row } from '@shardline/sql';

const KEYS = 1000;
const ROWS = 2_000_000;
const ROWS_PER_SECOND_OF_EVENT_TIME = 10_000;

const keys = Array.from({ length: KEYS }, (_, i) => `device-${i}`);

export interface SqlWindowRate {
  /** Rows per second through admission, the window and the projection. */
  rate: number;
  /** From the row that moves the watermark past a window's end to that window's first result (ms). */
  maxLatencyMs: number;
  windows: number;
}

/** Throughput and watermark-to-result latency of the tumbling GROUP BY on event time, from memory. */
export function measureSqlWindow(rowCount = ROWS): SqlWindowRate {
  const app = compileApplication(
    `CREATE STREAM "AVERAGES" (device VARCHAR(32), window_start TIMESTAMP, readings BIGINT, avg_temperature DOUBLE, max_temperature DOUBLE);
     CREATE PUMP "AVERAGE_PUMP" AS INSERT INTO "AVERAGES"
       SELECT STREAM device, TUMBLE_START(ts, INTERVAL '10' SECOND), COUNT(*), AVG(temperature), MAX(temperature)
       FROM "SOURCE_SQL_STREAM_001"
       GROUP BY device, TUMBLE(ts, INTERVAL '10' SECOND);`,
    { sources: { SOURCE_SQL_STREAM_001: { columns: { DEVICE: 'VARCHAR', TS: 'TIMESTAMP', TEMPERATURE: 'DOUBLE' } } } },
  );
  // Rows are built before timing, so the figure is the engine's, not the generator's.
  const rows: Row[] = Array.from({ length: rowCount }, (_, i) => ({
    DEVICE: keys[i % KEYS],
    TS: Math.floor((i * 1000) / ROWS_PER_SECOND_OF_EVENT_TIME),
    TEMPERATURE: 20 + (i % 17),
  }));
  let crossedAt = 0;
  const latencies: number[] = [];
  app.output('AVERAGES').subscribe(() => {
    if (crossedAt > 0) {
      latencies.push(performance.now() - crossedAt);
      crossedAt = 0;
    }
  });
  const input = new Observable<Row>((subscriber) => {
    let windowEnd = 10_000;
    for (let i = 0; i < rows.length; i++) {
      if ((rows[i].TS as number) >= windowEnd) {
        crossedAt = performance.now();
        windowEnd += 10_000;
      }
      subscriber.next(rows[i]);
    }
    subscriber.complete();
  });
  const started = performance.now();
  app.start({ SOURCE_SQL_STREAM_001: input });
  const seconds = (performance.now() - started) / 1000;
  return { rate: rowCount / seconds, maxLatencyMs: Math.max(...latencies), windows: latencies.length };
}

function throughput(): void {
  const { rate, maxLatencyMs, windows } = measureSqlWindow();
  console.log(`event time:      ${ROWS.toLocaleString()} rows, ${KEYS} keys, 10 s tumbling windows`);
  console.log(`  throughput     ${Math.round(rate).toLocaleString()} rows/s (${(ROWS / rate).toFixed(2)} s)`);
  console.log(`  watermark -> result  max ${maxLatencyMs.toFixed(2)} ms over ${windows} windows`);
}

async function processingLatency(): Promise<void> {
  const app = compileApplication(
    `CREATE STREAM "COUNTS" (device VARCHAR(32), readings BIGINT);
     CREATE PUMP "COUNT_PUMP" AS INSERT INTO "COUNTS"
       SELECT STREAM device, COUNT(*) FROM "SOURCE_SQL_STREAM_001"
       GROUP BY device, STEP("SOURCE_SQL_STREAM_001".ROWTIME BY INTERVAL '1' SECOND);`,
    { scheduler: asyncScheduler, sources: { SOURCE_SQL_STREAM_001: { columns: { DEVICE: 'VARCHAR' } } } },
  );
  const delays: number[] = [];
  let lastWindow = -1;
  app.output('COUNTS').subscribe((row) => {
    const end = row.ROWTIME as number;
    if (end !== lastWindow) {
      lastWindow = end;
      delays.push(Date.now() - end);
    }
  });
  const stopAt = Date.now() + 3000;
  const input = new Observable<Row>((subscriber) => {
    const tick = () => {
      for (let i = 0; i < 5000; i++) subscriber.next({ DEVICE: keys[i % KEYS] });
      if (Date.now() < stopAt) setTimeout(tick, 5);
    };
    tick();
  });
  app.start({ SOURCE_SQL_STREAM_001: input });
  await new Promise((resolve) => setTimeout(resolve, 4200));
  app.stop();
  console.log(`processing time: 1 s ROWTIME windows, ${KEYS} keys, ~1M rows/s offered in 5 ms batches`);
  console.log(`  window end -> first result  ${delays.map((d) => `${d} ms`).join(', ')}`);
}

// Run as a script; `npm run bench` imports measureSqlWindow (its analytics phase).
if (require.main === module) {
  throughput();
  void processingLatency();
}
