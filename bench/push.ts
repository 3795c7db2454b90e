/**
 * The `push` phase of `npm run bench`: enhanced fan-out latency. One SubscribeToShard per
 * shard (the SDK's own SubscribeToShardCommand, in bench/push-subscriber.ts, a worker thread
 * of its own), 10 records put every 5 ms (2,000/s) for ~10 s on a 4-shard stream; latency is
 * from just before the put to the event's arrival at the subscriber, and (what push itself
 * adds) from the record's ApproximateArrivalTimestamp, stamped by the shard actor as it appends.
 */
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  RegisterStreamConsumerCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { once } from 'node:events';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { pacedPuts, quantiles, type SeenLatencies } from './load';

export interface PushLatency {
  p50: number;
  p99: number;
  n: number;
  /** The puts' own latency (request to answer) in the same run: delivery cannot beat it by much. */
  ack: { p50: number; p99: number };
  /** From the actor's append (arrival stamp) to the subscriber: the push path alone. */
  fromAppend: { p50: number; p99: number };
}

/** BENCH_PUSH_MS shortens the phase (default 10 s). */
const PUSH_MS = Number(process.env.BENCH_PUSH_MS ?? 10_000);

async function activeConsumer(kinesis: KinesisClient, StreamARN: string): Promise<string> {
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'bench' }));
  for (;;) {
    const { ConsumerDescription } = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN }));
    if (ConsumerDescription!.ConsumerStatus === 'ACTIVE') return Consumer!.ConsumerARN!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function measurePush(kinesis: KinesisClient, endpoint: string, StreamName: string): Promise<PushLatency> {
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 4 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60, minDelay: 1 }, { StreamName });
  const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
  const ConsumerARN = await activeConsumer(kinesis, StreamDescriptionSummary!.StreamARN!);
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
  const subscriber = new Worker(join(__dirname, 'push-subscriber.ts'), {
    execArgv: ['-r', '@swc-node/register'],
    workerData: { endpoint, ConsumerARN, shardIds: Shards!.map((s) => s.ShardId!) },
  });
  await once(subscriber, 'message');
  const acks = await pacedPuts(kinesis, StreamName, PUSH_MS);
  await new Promise((resolve) => setTimeout(resolve, 500));
  subscriber.postMessage('stop');
  const [{ fromSend, fromAppend }] = (await once(subscriber, 'message')) as [SeenLatencies];
  await subscriber.terminate();
  await kinesis.send(new DeleteStreamCommand({ StreamName, EnforceConsumerDeletion: true }));
  return { ...quantiles(fromSend), n: fromSend.length, ack: quantiles(acks), fromAppend: quantiles(fromAppend) };
}
