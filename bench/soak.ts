/**
 * `npm run bench:soak`: a steady load on the local topology (`npm run start:topology`'s
 * processes: gateway, two shards processes, firehose...) for minutes, to show that resident
 * memory stays flat and latency steady. Not part of CI.
 *
 *   load:    PutRecords of SOAK_BATCH records of SOAK_SIZE bytes at SOAK_RATE records/s over
 *            4 shards (at most 8 calls in flight), and one GetRecords reader per shard
 *   sampled: every second, each process's RSS (/proc/<pid>/status) and the put latencies
 *   printed: every 10 s, p50/p99 put latency of those 10 s and each process's RSS
 *   verdict:  RSS growth of each process from the end of the warm-up (first 10 s) to the end
 *
 * Environment: SOAK_SECONDS (default 300), SOAK_RATE (2000), SOAK_BATCH (100), SOAK_SIZE (256),
 * NATS_URL, DATABASE_URL (default database shardline_soak), SOAK_CSV=<file> to keep the
 * per-second samples.
 */
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
  waitUntilStreamNotExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { startTopology, type Topology } from '../tools/topology';
import { benchClient } from './client';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const RATE = Number(process.env.SOAK_RATE ?? 2000);
const BATCH = Number(process.env.SOAK_BATCH ?? 100);
const SIZE = Number(process.env.SOAK_SIZE ?? 256);
const SHARDS = 4;
const MAX_IN_FLIGHT = 8;
const REPORT_EVERY = 10;

/** One second of the soak. */
interface Sample {
  second: number;
  rssMb: Record<string, number>;
  puts: number;
  failed: number;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shardline-soak-'));
  const topology = await startTopology({
    port: 0,
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/shardline_soak',
    env: { SHARDLINE_DATA_DIR: dataDir, SHARDLINE_STREAM_CREATE_DELAY_MS: '100', SHARDLINE_STREAM_DELETE_DELAY_MS: '100', SHARDLINE_SHARD_LIMITS: 'off' },
    onLine: () => undefined,
  });
  const kinesis = benchClient(topology.endpoint);
  const StreamName = `soak-${Date.now()}`;
  try {
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: SHARDS }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60, minDelay: 1 }, { StreamName });
    console.log(`soak: ${SECONDS} s at ${RATE} records/s (PutRecords of ${BATCH} x ${SIZE} B), ${SHARDS} shards, processes: ${topology.processes.map((p) => p.name).join(', ')}`);
    const samples = await soak(kinesis, StreamName, topology);
    verdict(samples);
    if (process.env.SOAK_CSV) writeCsv(process.env.SOAK_CSV, samples);
  } finally {
    // Deleted before the topology stops, so that its shards process removes the JetStream streams.
    await kinesis.send(new DeleteStreamCommand({ StreamName, EnforceConsumerDeletion: true })).catch(() => undefined);
    await waitUntilStreamNotExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName }).catch(() => undefined);
    kinesis.destroy();
    await topology.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function soak(kinesis: KinesisClient, StreamName: string, topology: Topology): Promise<Sample[]> {
  const samples: Sample[] = [];
  let latencies: number[] = [];
  let puts = 0;
  let failed = 0;
  let inFlight = 0;
  let reading = true;
  const data = Buffer.alloc(SIZE, 0x61);
  const put = async (n: number) => {
    inFlight++;
    const Records = Array.from({ length: BATCH }, (_, i) => ({ PartitionKey: `key-${(n * BATCH + i) % 256}`, Data: data }));
    const start = performance.now();
    try {
      const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
      failed += answer.FailedRecordCount ?? 0;
      puts += BATCH - (answer.FailedRecordCount ?? 0);
      latencies.push(performance.now() - start);
    } catch {
      failed += BATCH;
    } finally {
      inFlight--;
    }
  };
  const readers = Array.from({ length: SHARDS }, (_, shard) => read(kinesis, StreamName, `shardId-00000000000${shard}`, () => reading));
  const intervalMs = (BATCH / RATE) * 1000;
  const began = performance.now();
  let calls = 0;
  let window: number[] = [];
  for (let second = 1; second <= SECONDS; second++) {
    // Calls due in this second, paced on the clock so a slow call does not lower the rate.
    while (performance.now() - began < second * 1000) {
      const due = Math.floor((performance.now() - began) / intervalMs);
      while (calls < due && inFlight < MAX_IN_FLIGHT) void put(calls++);
      if (calls < due && inFlight >= MAX_IN_FLIGHT) calls = due; // saturated: skip, the latencies show it
      await sleep(Math.min(intervalMs, 5));
    }
    samples.push({ second, rssMb: rssOf(topology), puts, failed });
    window.push(...latencies);
    latencies = [];
    if (second % REPORT_EVERY === 0) {
      report(samples, window);
      window = [];
    }
  }
  reading = false;
  await Promise.all(readers);
  return samples;
}

/** Reads one shard from LATEST, as a consumer keeping up would, until told to stop. */
async function read(kinesis: KinesisClient, StreamName: string, ShardId: string, go: () => boolean): Promise<void> {
  let { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'LATEST' }));
  while (go() && ShardIterator) {
    const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 })).catch(() => undefined);
    ShardIterator = page?.NextShardIterator ?? ShardIterator;
    await sleep(200);
  }
}

function rssOf(topology: Topology): Record<string, number> {
  const rss: Record<string, number> = {};
  for (const p of topology.processes) {
    const status = readFileSync(`/proc/${p.child.pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? NaN);
    rss[p.name] = Math.round(kb / 102.4) / 10;
  }
  return rss;
}

function report(samples: Sample[], latencies: number[]): void {
  const last = samples[samples.length - 1]!;
  const before = samples[samples.length - 1 - REPORT_EVERY];
  const rate = Math.round((last.puts - (before?.puts ?? 0)) / REPORT_EVERY);
  const sorted = [...latencies].sort((a, b) => a - b);
  const rss = Object.entries(last.rssMb).map(([name, mb]) => `${name} ${mb}`).join(', ');
  console.log(
    `${String(last.second).padStart(5)} s  ${rate} rec/s  put p50 ${percentile(sorted, 0.5)} ms p99 ${percentile(sorted, 0.99)} ms  failed ${last.failed}  RSS MB: ${rss}`,
  );
}

function percentile(sorted: number[], q: number): string {
  if (sorted.length === 0) return '-';
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(1);
}

/** Each process's RSS at the end of the warm-up and at the end, and the growth between. */
function verdict(samples: Sample[]): void {
  const warm = samples[Math.min(REPORT_EVERY, samples.length) - 1]!;
  const end = samples[samples.length - 1]!;
  console.log(`\nRSS from ${warm.second} s to ${end.second} s (MB):`);
  for (const [name, start] of Object.entries(warm.rssMb)) {
    const finish = end.rssMb[name]!;
    console.log(`  ${name.padEnd(10)} ${start} -> ${finish}  (${(((finish - start) / start) * 100).toFixed(1)}%)`);
  }
  console.log(`records acknowledged ${end.puts}, failed ${end.failed}`);
}

function writeCsv(path: string, samples: Sample[]): void {
  const names = Object.keys(samples[0]?.rssMb ?? {});
  const rows = samples.map((s) => [s.second, s.puts, s.failed, ...names.map((n) => s.rssMb[n])].join(','));
  writeFileSync(path, [['second', 'acked', 'failed', ...names.map((n) => `rss_mb_${n}`)].join(','), ...rows].join('\n') + '\n');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
