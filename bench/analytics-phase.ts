/**
 * The `analytics` phase of `npm run bench` (issue 6), against the bench's standalone server
 * (which runs the analytics role):
 *   in memory:  the tumbling 10-second GROUP BY over 1,000 keys compiled from SQL, fed from
 *               memory in this process (bench/sql-window.ts), events/s;
 *   end to end: the same SQL as an application on the server — JSON events put into a stream
 *               beforehand (REST, 1 shard), read from TRIM_HORIZON,
 *               results to another Shardline stream and the live feed (counted on its NATS
 *               subject) — events/s from start until every event is counted (a last event closes
 *               the last window);
 *   latency:    then, with the application caught up, one event put (REST) whose event time is
 *               the open window's end, i.e. moves the watermark past it: time until that
 *               window's first result arrives on the live feed; 5 probes.
 */
import { connect } from 'nats';
import { liveSubject } from '@shardline/analytics';
import { ShardlineClient } from '@shardline/client';
import { measureSqlWindow } from './sql-window';

const KEYS = 1000;
/** Events per second of event time: a 10-second window closes every 100,000 events. */
const PER_SECOND = 10_000;
const WINDOW_MS = 10_000;
const PROBES = 5;

export interface AnalyticsRates {
  inMemory: number;
  inMemoryLatencyMs: number;
  endToEnd: number;
  events: number;
  /** Watermark past a window's end (the event put) to its first result, per probe (ms). */
  latenciesMs: number[];
}

const SQL = `CREATE STREAM "COUNTS" (device VARCHAR(32), window_start TIMESTAMP, n BIGINT, avg_temp DOUBLE);
CREATE PUMP "P" AS INSERT INTO "COUNTS"
  SELECT STREAM device, TUMBLE_START(ts, INTERVAL '10' SECOND), COUNT(*), AVG(temp)
  FROM SOURCE_SQL_STREAM_001 GROUP BY device, TUMBLE(ts, INTERVAL '10' SECOND);`;

export async function measureAnalytics(endpoint: string, natsUrl: string, name: string, records: number): Promise<AnalyticsRates> {
  const memory = measureSqlWindow(Math.max(records, 1_000_000));
  const client = new ShardlineClient({ endpoint });
  const input = `${name}-in`;
  const output = `${name}-out`;
  const app = `${name}-app`;
  const nc = await connect({ servers: natsUrl });
  try {
    await client.streams.create({ name: input, shardCount: 1 });
    await client.streams.create({ name: output, shardCount: 1 });
    await client.streams.waitFor(input);
    await client.streams.waitFor(output);
    const event = (i: number, ts: number) => ({ device: `device-${i % KEYS}`, ts, temp: 20 + (i % 17) });
    // Loaded over REST, 500 a request, one request at a time (not timed): requests in flight could
    // land out of order, and an event stored behind a later window's would be late.
    for (let start = 0; start < records; start += 500) {
      const batch = Array.from({ length: Math.min(500, records - start) }, (_, j) => {
        const i = start + j;
        return { partitionKey: `device-${i % KEYS}`, data: event(i, Math.floor((i * 1000) / PER_SECOND)) };
      });
      const answer = await client.records.putMany(input, batch);
      if (answer.failedRecordCount) throw new Error(`analytics: ${answer.failedRecordCount} records refused while loading`);
    }
    // One more event, at the last window's end, closes it: every event above is then in an emitted window.
    let openWindow = (Math.floor(Math.floor(((records - 1) * 1000) / PER_SECOND) / WINDOW_MS) + 1) * WINDOW_MS;
    await client.records.put(input, { partitionKey: 'closer', data: event(records, openWindow) });
    const closedEvents = records;

    let counted = 0;
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const firstResult = new Map<number, number>();
    let waiting: { windowStart: number; resolve: (at: number) => void } | undefined;
    nc.subscribe(liveSubject(app, 'COUNTS'), {
      callback: (_err, msg) => {
        const row = JSON.parse(msg.string()) as { N: number; WINDOW_START: number };
        counted += row.N;
        if (counted >= closedEvents) finish();
        if (!firstResult.has(row.WINDOW_START)) {
          firstResult.set(row.WINDOW_START, performance.now());
          if (waiting?.windowStart === row.WINDOW_START) waiting.resolve(performance.now());
        }
      },
    });
    await nc.flush();
    await client.analytics.create({
      name: app,
      input: {
        streamName: input,
        format: 'JSON',
        columns: [{ name: 'DEVICE', type: 'VARCHAR(32)', path: '$.device' }, { name: 'TS', type: 'TIMESTAMP', path: '$.ts' }, { name: 'TEMP', type: 'DOUBLE', path: '$.temp' }],
        time: { kind: 'eventColumn', column: 'TS' },
      },
      sql: SQL,
      outputs: [{ kind: 'stream', inAppStream: 'COUNTS', streamName: output }],
    });
    const started = performance.now();
    await client.analytics.start(app, 'TRIM_HORIZON');
    // The limit's timer is unref'd: once the count is in, it must not hold the bench open for 120 s.
    await Promise.race([finished, new Promise((_, reject) => setTimeout(() => reject(new Error(`analytics: ${counted} of ${closedEvents} events counted after 120 s`)), 120_000).unref())]);
    const endToEnd = closedEvents / ((performance.now() - started) / 1000);

    const latenciesMs: number[] = [];
    for (let probe = 0; probe < PROBES; probe++) {
      const windowEnd = openWindow + WINDOW_MS;
      const arrived = new Promise<number>((resolve) => (waiting = { windowStart: openWindow, resolve }));
      const sent = performance.now();
      await client.records.put(input, { partitionKey: 'probe', data: event(probe, windowEnd) });
      latenciesMs.push((await arrived) - sent);
      openWindow = windowEnd;
    }
    return { inMemory: memory.rate, inMemoryLatencyMs: memory.maxLatencyMs, endToEnd, events: closedEvents, latenciesMs };
  } finally {
    await client.analytics.delete(app).catch(() => undefined);
    await nc.close();
    await client.streams.delete(input).catch(() => undefined);
    await client.streams.delete(output).catch(() => undefined);
  }
}
