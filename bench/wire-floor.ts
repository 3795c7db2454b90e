/**
 * The bench's floor: the same SDK load as the Kinesis phases, sent through the unmodified
 * SDK's own transport to a server that does no work (bench/canned-server.ts, a process of its
 * own). Whatever a server does, its figures cannot beat these on this machine: they are what
 * the SDK client, Node's HTTP/2 and the kernel cost before any server work.
 *
 *   put, get:   PutRecords of 500 (4 in flight), GetRecords pages of 10,000 1 KiB records (4 readers)
 *   calls:      the push phase's producer (a PutRecords of 10 records every 5 ms) alone, then
 *               with the latency phase's consumer beside it (each of 4 shards polled every 5 ms,
 *               its own thread): the puts' own latency and the client's CPU
 *   push:       the push phase itself (bench/push-subscriber.ts on 4 shards, the same producer),
 *               the server pushing each put's records the moment the put arrives
 */
import { GetRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { benchClient } from './client';
import { pacedPuts, putAll, quantiles, type SeenLatencies } from './load';

export interface CallFloor {
  p50: number;
  p99: number;
  /** The client process's CPU over the run, in cores (1 = one core busy). */
  clientCores: number;
}

export interface WireFloor {
  put: number;
  get: number;
  puts: CallFloor;
  putsBesidePolls: CallFloor;
  /** Arrival (as the server stamps it) to the subscriber, through SubscribeToShard. */
  push: { p50: number; p99: number };
}

const CALLS_MS = 10_000;
/** The canned server knows no streams: any four shard ids do. */
const SHARD_IDS = [0, 1, 2, 3].map((i) => `shardId-00000000000${i}`);

export async function measureWireFloor(records: number, size: number): Promise<WireFloor> {
  const server = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'canned-server.ts')], {
    cwd: join(__dirname, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [chunk] = (await once(server.stdout!, 'data')) as [Buffer];
    const endpoint = `http://127.0.0.1:${/listening (\d+)/.exec(chunk.toString())![1]}`;
    const kinesis = benchClient(endpoint);
    try {
      const put = (await putAll(kinesis, 'floor', records, size)).rate;
      const get = await getPages(kinesis, records);
      const puts = await paced(kinesis);
      const poller = new Worker(join(__dirname, 'latency-consumer.ts'), {
        execArgv: ['-r', '@swc-node/register'],
        workerData: { endpoint, StreamName: 'floor', shardIds: SHARD_IDS },
      });
      await once(poller, 'message');
      const putsBesidePolls = await paced(kinesis);
      poller.postMessage('stop');
      await once(poller, 'message');
      await poller.terminate();
      const push = await pushed(kinesis, endpoint);
      return { put, get, puts, putsBesidePolls, push };
    } finally {
      kinesis.destroy();
    }
  } finally {
    server.kill('SIGTERM');
  }
}

/** Reads `records` records in full pages, 4 readers. */
async function getPages(kinesis: KinesisClient, records: number): Promise<number> {
  let pages = Math.ceil(records / 10_000);
  const reader = async () => {
    while (pages-- > 0) await kinesis.send(new GetRecordsCommand({ ShardIterator: 'full' }));
  };
  const start = performance.now();
  await Promise.all([reader(), reader(), reader(), reader()]);
  return (Math.ceil(records / 10_000) * 10_000) / ((performance.now() - start) / 1000);
}

async function pushed(kinesis: KinesisClient, endpoint: string): Promise<{ p50: number; p99: number }> {
  const subscriber = new Worker(join(__dirname, 'push-subscriber.ts'), {
    execArgv: ['-r', '@swc-node/register'],
    workerData: { endpoint, ConsumerARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/floor/consumer/floor:1', shardIds: SHARD_IDS },
  });
  await once(subscriber, 'message');
  await pacedPuts(kinesis, 'floor', CALLS_MS);
  await new Promise((resolve) => setTimeout(resolve, 500));
  subscriber.postMessage('stop');
  const [{ fromAppend }] = (await once(subscriber, 'message')) as [SeenLatencies];
  await subscriber.terminate();
  return quantiles(fromAppend);
}

async function paced(kinesis: KinesisClient): Promise<CallFloor> {
  const before = process.cpuUsage();
  const start = performance.now();
  const acks = await pacedPuts(kinesis, 'floor', CALLS_MS);
  const used = process.cpuUsage(before);
  return { ...quantiles(acks), clientCores: (used.user + used.system) / 1000 / (performance.now() - start) };
}
