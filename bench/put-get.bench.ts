/**
 * `npm run bench`: Shardline's data plane through the unmodified AWS SDK (default h2c
 * client), against `npm start`'s standalone process, beside raw JetStream in the same run.
 *
 *   put:     100,000 records of 1 KiB, 4 shards, PutRecords of 500, 4 requests in flight
 *   get:     read everything back with GetRecords, one reader per shard
 *   latency: put-to-visible at 2,000 records/s, consumers polling every 5 ms
 *   push:    put-to-delivered at 2,000 records/s through SubscribeToShard (enhanced fan-out)
 *   producer: the typed client's producer over NATS, 1 KiB records (bench/native.ts)
 *   firehose: DirectPut to the directory destination with GZIP, end to end, and the same
 *             through a pass-through transform plugin (bench/firehose.ts)
 *   analytics: a tumbling 10-second GROUP BY over 1,000 keys in memory, then as an application
 *             on the server end to end from a stream, and window-result latency after the
 *             watermark passes the window end (bench/analytics-phase.ts)
 *
 * Yardsticks measured in the same run: raw JetStream publish/read rates; the AWS SDK
 * alone against canned answers (what the client can do with no server at all); and the
 * floor, the same SDK calls over its own h2c transport to a server that does no work
 * (bench/wire-floor.ts: no server can beat it here). CPU time per record of client, server
 * and nats-server is read from /proc.
 *
 * Environment: NATS_URL, DATABASE_URL (the server's database is shardline_bench),
 * BENCH_RECORDS (default 100000), BENCH_ANALYTICS_EVENTS (default max(BENCH_RECORDS, 200000)),
 * BENCH_ENDPOINT to measure a server already running.
 */
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
} from '@aws-sdk/client-kinesis';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/support/processes';
import { measureRawJetStream } from './raw-jetstream';
import { benchClient, CLIENT } from './client';
import { cpuMeter } from './cpu';
import { measureAnalytics } from './analytics-phase';
import { measureFirehose } from './firehose';
import { measureGroup, measureProducer } from './native';
import { measurePush, type PushLatency } from './push';
import { measureSdkCeiling, type SdkCeiling } from './sdk-ceiling';
import { pacedPuts, putAll, quantiles, type SeenLatencies } from './load';
import { measureWireFloor, type WireFloor } from './wire-floor';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const SIZE = 1024;
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
/** The bench server's data directory (the Firehose directory destination writes there). */
const DATA_DIR = process.env.BENCH_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'shardline-bench-'));
/** BENCH_PHASES=raw,sdk,floor,put,get,latency,push,... (default all) runs only some phases while profiling. */
const PHASES = new Set((process.env.BENCH_PHASES ?? 'raw,sdk,floor,put,get,latency,push,producer,group,firehose,analytics').split(','));
const ANALYTICS_EVENTS = Number(process.env.BENCH_ANALYTICS_EVENTS ?? Math.max(RECORDS, 200_000));

async function main(): Promise<void> {
  const raw = PHASES.has('raw')
    ? await measureRawJetStream(NATS_URL, RECORDS, SIZE)
    : { publishPerRecord: NaN, publishBatched: NaN, readPerRecord: NaN };
  const sdk = PHASES.has('sdk') ? await measureSdkCeiling(RECORDS, SIZE) : { put: NaN, get: NaN, smallPutCpu: NaN, emptyGetCpu: NaN };
  const noCalls = { p50: NaN, p99: NaN, clientCores: NaN };
  const floor = PHASES.has('floor') ? await measureWireFloor(RECORDS, SIZE) : { put: NaN, get: NaN, puts: noCalls, putsBesidePolls: noCalls, push: noCalls };
  const server = process.env.BENCH_ENDPOINT ? undefined : await startServer();
  const endpoint = process.env.BENCH_ENDPOINT ?? server!.endpoint;
  const kinesis = benchClient(endpoint);
  try {
    const StreamName = `bench-${Date.now()}`;
    await createStream(kinesis, StreamName);
    const meter = cpuMeter(server?.pid);
    const put = await putAll(kinesis, StreamName, RECORDS, SIZE);
    const putCpu = meter.perRecord(RECORDS);
    const get = PHASES.has('get') ? await getAll(kinesis, StreamName) : { rate: NaN, records: 0 };
    const getCpu = meter.perRecord(RECORDS);
    const latency = PHASES.has('latency')
      ? await putToVisible(kinesis, endpoint, `${StreamName}-latency`)
      : { p50: NaN, p99: NaN, n: 0, fromAppend: { p50: NaN, p99: NaN } };
    const latencyCpu = meter.perRecord(latency.n);
    const push = PHASES.has('push') ? await measurePush(kinesis, endpoint, `${StreamName}-push`) : { p50: NaN, p99: NaN, n: 0, ack: { p50: NaN, p99: NaN }, fromAppend: { p50: NaN, p99: NaN } };
    const pushCpu = meter.perRecord(push.n);
    const producer = PHASES.has('producer')
      ? await measureProducer(endpoint, NATS_URL, `${StreamName}-producer`, RECORDS, SIZE)
      : { rate: NaN, records: 0 };
    const producerCpu = meter.perRecord(producer.records);
    const group = PHASES.has('producer') && PHASES.has('group')
      ? await measureGroup(endpoint, NATS_URL, `${StreamName}-producer`, producer.records)
      : { rate: NaN, records: 0 };
    const groupCpu = meter.perRecord(group.records);
    if (PHASES.has('producer')) await kinesis.send(new DeleteStreamCommand({ StreamName: `${StreamName}-producer` }));
    const firehose = PHASES.has('firehose')
      ? await measureFirehose(endpoint, DATA_DIR, `${StreamName}-fh`, RECORDS, SIZE)
      : { rate: NaN, records: 0 };
    const firehoseCpu = meter.perRecord(firehose.records);
    const transform = PHASES.has('firehose')
      ? await measureFirehose(endpoint, DATA_DIR, `${StreamName}-fh-lambda`, RECORDS, SIZE, `bench-pass-${Date.now()}`)
      : { rate: NaN, records: 0 };
    const transformCpu = meter.perRecord(transform.records);
    const analytics = PHASES.has('analytics') ? await measureAnalytics(endpoint, NATS_URL, `${StreamName}-an`, ANALYTICS_EVENTS) : undefined;
    const analyticsCpu = meter.perRecord(analytics?.events ?? 0);
    await kinesis.send(new DeleteStreamCommand({ StreamName }));
    // Let the server's sweeper remove the deleted streams' JetStream storage before it stops.
    await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    report(raw, sdk, floor, put, get, latency, push);
    console.log(`CPU per record, put: ${putCpu}`);
    if (PHASES.has('get')) console.log(`CPU per record, get: ${getCpu}`);
    if (PHASES.has('latency')) console.log(`CPU per record, latency run (10 records per put, polls every 5 ms): ${latencyCpu}`);
    if (PHASES.has('push')) console.log(`CPU per record, push run (10 records per put, SubscribeToShard): ${pushCpu}`);
    if (PHASES.has('firehose')) {
      const f = (n: number) => Math.round(n).toLocaleString('en-US');
      console.log(`Firehose DirectPut -> directory, GZIP: ${f(firehose.rate)} rec/s end to end (${(firehose.rate / raw.publishBatched).toFixed(2)}x raw batched publish; target >= 50,000); CPU per record: ${firehoseCpu}`);
      console.log(`Firehose with a pass-through transform plugin: ${f(transform.rate)} rec/s end to end (target >= 35,000); CPU per record: ${transformCpu}`);
    }
    if (PHASES.has('group')) {
      const f = (n: number) => Math.round(n).toLocaleString('en-US');
      console.log(`consumer group of 2 members (client consume over NATS): ${f(group.rate)} rec/s (${(group.rate / raw.readPerRecord).toFixed(2)}x raw read; target >= 60,000); CPU per record: ${groupCpu}`);
    }
    if (analytics) {
      const f = (n: number) => Math.round(n).toLocaleString('en-US');
      const sorted = [...analytics.latenciesMs].sort((a, b) => a - b);
      console.log(`analytics, tumbling 10 s GROUP BY over 1,000 keys, in memory: ${f(analytics.inMemory)} events/s (target >= 200,000); watermark -> result max ${analytics.inMemoryLatencyMs.toFixed(1)} ms`);
      console.log(`analytics end to end from a stream (${f(analytics.events)} events, TRIM_HORIZON, results to a stream): ${f(analytics.endToEnd)} events/s (target >= 50,000); CPU per event, loading over REST included: ${analyticsCpu}`);
      console.log(`analytics window-result latency after the watermark passes the window end (event put -> live result): median ${sorted[sorted.length >> 1].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms over ${sorted.length} windows: ${analytics.latenciesMs.map((l) => l.toFixed(0)).join(', ')} ms (target <= 100 ms)`);
    }
    if (PHASES.has('producer')) {
      const f = (n: number) => Math.round(n).toLocaleString('en-US');
      console.log(`client producer ${f(producer.rate)} rec/s over NATS (${(producer.rate / raw.publishBatched).toFixed(2)}x raw batched publish; target >= 50,000); CPU per record: ${producerCpu}`);
    }
  } finally {
    kinesis.destroy();
    server?.stop();
  }
}

async function startServer(): Promise<{ endpoint: string; pid: number; stop(): void }> {
  // A port the kernel just handed out: a random one in 45000-46000 sometimes was some connection's ephemeral port (EADDRINUSE).
  const port = await freePort();
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/shardline_bench';
  const flags = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, '-r', '@swc-node/register', join('apps', 'standalone', 'src', 'main.ts')], {
    cwd: join(__dirname, '..'),
    // Shard limits off: the bench measures the data plane, far above 1,000 records/s per shard.
    env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, SHARDLINE_DATA_DIR: DATA_DIR, SHARDLINE_STREAM_CREATE_DELAY_MS: '100', SHARDLINE_SHARD_LIMITS: 'off' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { endpoint: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function createStream(kinesis: KinesisClient, StreamName: string): Promise<void> {
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 4 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60, minDelay: 1 }, { StreamName });
}

async function getAll(kinesis: KinesisClient, StreamName: string): Promise<{ rate: number; records: number }> {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
  let records = 0;
  const start = performance.now();
  await Promise.all(
    Shards!.map(async ({ ShardId }) => {
      let { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      for (;;) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
        records += page.Records!.length;
        ShardIterator = page.NextShardIterator;
        if (page.MillisBehindLatest === 0 && page.Records!.length === 0) return;
      }
    }),
  );
  return { rate: records / ((performance.now() - start) / 1000), records };
}

/**
 * Puts 10 records every 5 ms (2,000/s) for 10 s while a consumer (bench/latency-consumer.ts,
 * its own thread and SDK client) polls every shard every 5 ms; latency = seen - sent.
 */
async function putToVisible(
  kinesis: KinesisClient,
  endpoint: string,
  StreamName: string,
): Promise<{ p50: number; p99: number; n: number; fromAppend: { p50: number; p99: number } }> {
  await createStream(kinesis, StreamName);
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
  const consumer = new Worker(join(__dirname, 'latency-consumer.ts'), {
    execArgv: ['-r', '@swc-node/register'],
    workerData: { endpoint, StreamName, shardIds: Shards!.map((s) => s.ShardId!) },
  });
  await once(consumer, 'message');
  await pacedPuts(kinesis, StreamName, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 500));
  consumer.postMessage('stop');
  const [{ fromSend, fromAppend }] = (await once(consumer, 'message')) as [SeenLatencies];
  await consumer.terminate();
  await kinesis.send(new DeleteStreamCommand({ StreamName }));
  return { ...quantiles(fromSend), n: fromSend.length, fromAppend: quantiles(fromAppend) };
}

function report(
  raw: Awaited<ReturnType<typeof measureRawJetStream>>,
  sdk: SdkCeiling,
  floor: WireFloor,
  put: { rate: number; failed: number },
  get: { rate: number; records: number },
  latency: { p50: number; p99: number; n: number; fromAppend: { p50: number; p99: number } },
  push: PushLatency,
): void {
  const f = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(`\nShardline bench: ${f(RECORDS)} records of ${SIZE} B, 4 shards, AWS SDK v3, client transport: ${CLIENT}`);
  console.log(`raw JetStream   publish per record   ${f(raw.publishPerRecord)} rec/s`);
  console.log(`raw JetStream   publish, 125/message ${f(raw.publishBatched)} rec/s`);
  console.log(`raw JetStream   read per record      ${f(raw.readPerRecord)} rec/s`);
  console.log(`AWS SDK alone   PutRecords ${f(sdk.put)} rec/s, GetRecords ${f(sdk.get)} rec/s (canned answers, no server: the client's ceiling on one core)`);
  console.log(`AWS SDK alone   ${f(sdk.smallPutCpu)} µs CPU per PutRecords of 10 small records, ${f(sdk.emptyGetCpu)} µs per empty GetRecords (before any network: the latency phases make 1,000 such calls a second)`);
  const ms = (c: { p50: number; p99: number }) => `p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms`;
  console.log(`floor           the same SDK calls to a server that does no work (canned answers over h2c, its own process): PutRecords ${f(floor.put)} rec/s, GetRecords ${f(floor.get)} rec/s`);
  console.log(`floor           a PutRecords of 10 every 5 ms answered in ${ms(floor.puts)} (client ${floor.puts.clientCores.toFixed(2)} cores); beside the latency phase's polls ${ms(floor.putsBesidePolls)} (client ${floor.putsBesidePolls.clientCores.toFixed(2)} cores)`);
  console.log(`PutRecords      ${f(put.rate)} rec/s  (${(put.rate / raw.publishPerRecord).toFixed(2)}x raw per-record publish, ${(put.rate / sdk.put).toFixed(2)}x SDK ceiling, ${(put.rate / floor.put).toFixed(2)}x floor; ${put.failed} failed; target >= 50,000)`);
  console.log(`GetRecords      ${f(get.rate)} rec/s  (${(get.rate / raw.readPerRecord).toFixed(2)}x raw read, ${(get.rate / sdk.get).toFixed(2)}x SDK ceiling, ${(get.rate / floor.get).toFixed(2)}x floor; ${f(get.records)} records; target >= 60,000)`);
  console.log(`put-to-visible  p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms over ${f(latency.n)} records at 2,000/s (target p99 <= 12 ms)`);
  console.log(`append-to-visible p50 ${latency.fromAppend.p50.toFixed(1)} ms, p99 ${latency.fromAppend.p99.toFixed(1)} ms (from the actor's arrival stamp: what polling adds after the append)`);
  console.log(`put-to-delivered p50 ${push.p50.toFixed(1)} ms, p99 ${push.p99.toFixed(1)} ms over ${f(push.n)} records at 2,000/s, SubscribeToShard; the puts' own p50 ${push.ack.p50.toFixed(1)} ms, p99 ${push.ack.p99.toFixed(1)} ms`);
  console.log(`append-to-delivered p50 ${push.fromAppend.p50.toFixed(1)} ms, p99 ${push.fromAppend.p99.toFixed(1)} ms (from the actor's arrival stamp: what push adds; floor ${ms(floor.push)}; target p99 <= 5 ms)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
