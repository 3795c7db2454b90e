/**
 * `node -r @swc-node/register bench/analytics.ts [records] [shards]`: an analytics application end to
 * end in one process — JSON records stored in a Shardline stream (1 shard by default) beforehand, read from
 * TRIM_HORIZON by the AnalyticsRuntime (ordered consumers), mapped to rows, through a tumbling
 * 10-second GROUP BY over 1,000 keys (event time), out to another Shardline stream. Reports
 * events/s from start until every event is counted in an emitted window, and until the output
 * rows are written (a checkpoint drains the outputs). Uses a scratch database, removed after.
 */
import { AnalyticsControl, AnalyticsRuntime, liveSubject } from '@shardline/analytics';
import { Platform, readConfig } from '@shardline/streams';
import { dropDatabase, scratchDatabaseUrl } from '../test/support/database';
import { removeShardStorage } from '../test/support/cleanup';

const RECORDS = Number(process.argv[2] ?? 200_000);
const SHARDS = Number(process.argv[3] ?? 1);
const KEYS = 1000;
const PER_SECOND = 10_000; // events per second of event time: a window closes every 100,000 events

async function main(): Promise<void> {
  const databaseUrl = scratchDatabaseUrl(`shardline_bench_analytics_${process.pid}`);
  const config = { ...readConfig(), databaseUrl, createDelayMs: 50, natsApiPrefix: `bench${process.pid}`, shardLimits: { ...readConfig().shardLimits, enabled: false } };
  const platform = await Platform.open(config, { gateway: false, shards: true });
  const streamByName = (name: string) => platform.directory.active({ name }).then((e) => e.stream).catch(() => undefined);
  try {
    const input = `bench-an-in-${process.pid}`;
    const output = `bench-an-out-${process.pid}`;
    // With several shards the runner merges their rows in event time (shard-aligner.ts).
    await platform.backend.createStream({ name: input, shardCount: SHARDS, mode: 'PROVISIONED' });
    await platform.backend.createStream({ name: output, shardCount: 1, mode: 'PROVISIONED' });
    while (!(await streamByName(input)) || !(await streamByName(output))) await new Promise((r) => setTimeout(r, 50));

    const putStarted = Date.now();
    for (let start = 0; start <= RECORDS; start += 500) {
      const count = Math.min(500, RECORDS + 1 - start);
      const records = Array.from({ length: count }, (_, j) => {
        const i = start + j;
        // The last record, far ahead in event time, closes every window.
        const ts = i === RECORDS ? 10_000_000 : Math.floor((i * 1000) / PER_SECOND);
        return { partitionKey: `device-${i % KEYS}`, data: Buffer.from(JSON.stringify({ device: `device-${i % KEYS}`, ts, temp: 20 + (i % 17) })) };
      });
      await platform.backend.putRecords({ name: input }, records);
    }
    console.log(`stored ${RECORDS} records in ${((Date.now() - putStarted) / 1000).toFixed(1)} s`);

    const control = new AnalyticsControl(platform.dataSource, platform.nc, streamByName, databaseUrl);
    const name = `bench-${process.pid}`;
    await control.create({
      name,
      input: {
        streamName: input,
        format: 'JSON',
        columns: [{ name: 'DEVICE', type: 'VARCHAR(32)', path: '$.device' }, { name: 'TS', type: 'TIMESTAMP', path: '$.ts' }, { name: 'TEMP', type: 'DOUBLE', path: '$.temp' }],
        time: { kind: 'eventColumn', column: 'TS' },
        referenceTables: [],
      },
      sql: `CREATE STREAM "COUNTS" (device VARCHAR(32), window_start TIMESTAMP, n BIGINT, avg_temp DOUBLE);
            CREATE PUMP "P" AS INSERT INTO "COUNTS"
              SELECT STREAM device, TUMBLE_START(ts, INTERVAL '10' SECOND), COUNT(*), AVG(temp)
              FROM SOURCE_SQL_STREAM_001 GROUP BY device, TUMBLE(ts, INTERVAL '10' SECOND);`,
      outputs: [{ kind: 'stream', inAppStream: 'COUNTS', streamName: output }],
    });
    let counted = 0;
    let rows = 0;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (done = resolve));
    platform.nc.subscribe(liveSubject(name, 'COUNTS'), {
      callback: (_err, msg) => {
        counted += (JSON.parse(msg.string()) as { N: number }).N;
        rows++;
        // The closing record's own window stays open.
        if (counted >= RECORDS) done();
      },
    });
    const started = Date.now();
    const runtime = await AnalyticsRuntime.start({
      nc: platform.nc,
      dataSource: platform.dataSource,
      databaseUrl,
      streamByName,
      putRecords: (ref, records) => platform.backend.putRecords(ref, records),
      checkpointMs: 600_000,
      onError: (err) => console.error(err),
    });
    await control.start(name, 'TRIM_HORIZON');
    await runtime.reconcile();
    await finished;
    const counting = (Date.now() - started) / 1000;
    await runtime.checkpoint(name);
    const writing = (Date.now() - started) / 1000;
    console.log(`${RECORDS} events counted in ${counting.toFixed(2)} s (${Math.round(RECORDS / counting)} events/s); ${rows} result rows`);
    console.log(`output rows written to the stream by ${writing.toFixed(2)} s (${Math.round(RECORDS / writing)} events/s end to end)`);
    await runtime.close();
  } finally {
    await platform.close();
    await removeShardStorage(databaseUrl).catch(() => undefined);
    await dropDatabase(databaseUrl).catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
