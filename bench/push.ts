/**
 * The `push` phase of `npm run bench`: enhanced fan-out latency. One SubscribeToShard per
 * shard (the SDK's own SubscribeToShardCommand), 10 records put every 5 ms (2,000/s) for
 * ~10 s on a 4-shard stream; latency is from just before the put to the event's arrival at
 * the subscriber, and (what push itself adds) from the record's ApproximateArrivalTimestamp,
 * which the shard actor stamps as it appends (same machine, same clock; whole milliseconds,
 * so it reads up to 1 ms high). Subscriptions are renewed when they end (the server's time limit).
 */
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamConsumerCommand,
  DescribeStreamSummaryCommand,
  ListShardsCommand,
  PutRecordsCommand,
  RegisterStreamConsumerCommand,
  SubscribeToShardCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';

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
const nowMs = () => performance.timeOrigin + performance.now();

async function activeConsumer(kinesis: KinesisClient, StreamARN: string): Promise<string> {
  const { Consumer } = await kinesis.send(new RegisterStreamConsumerCommand({ StreamARN, ConsumerName: 'bench' }));
  for (;;) {
    const { ConsumerDescription } = await kinesis.send(new DescribeStreamConsumerCommand({ ConsumerARN: Consumer!.ConsumerARN }));
    if (ConsumerDescription!.ConsumerStatus === 'ACTIVE') return Consumer!.ConsumerARN!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Subscribes to one shard until `running()` is false, pushing each record's latency. */
async function subscribeShard(
  kinesis: KinesisClient,
  ConsumerARN: string,
  ShardId: string,
  latencies: { fromSend: number[]; fromAppend: number[] },
  running: () => boolean,
  ready: () => void,
) {
  let continuation: string | undefined;
  while (running()) {
    const StartingPosition = continuation ? { Type: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: continuation } : { Type: 'LATEST' as const };
    const { EventStream } = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition }));
    ready();
    for await (const item of EventStream!) {
      const event = item.SubscribeToShardEvent;
      if (!event) continue;
      const now = nowMs();
      for (const record of event.Records ?? []) {
        latencies.fromSend.push(now - Number(Buffer.from(record.Data!).toString()));
        latencies.fromAppend.push(now - record.ApproximateArrivalTimestamp!.getTime());
      }
      continuation = event.ContinuationSequenceNumber ?? continuation;
      if (!running()) break;
    }
  }
}

export async function measurePush(kinesis: KinesisClient, StreamName: string): Promise<PushLatency> {
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 4 }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60, minDelay: 1 }, { StreamName });
  const { StreamDescriptionSummary } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
  const ConsumerARN = await activeConsumer(kinesis, StreamDescriptionSummary!.StreamARN!);
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
  const latencies = { fromSend: [] as number[], fromAppend: [] as number[] };
  let running = true;
  let subscribed = 0;
  let subscribers: Array<Promise<void>> = [];
  const allSubscribed = new Promise<void>((resolve) => {
    const ready = () => ++subscribed === Shards!.length && resolve();
    subscribers = Shards!.map(({ ShardId }) => subscribeShard(kinesis, ConsumerARN, ShardId!, latencies, () => running, ready));
  });
  await allSubscribed;
  const acks: number[] = [];
  const start = performance.now();
  for (let tick = 1; performance.now() - start < PUSH_MS; tick++) {
    const sent = String(nowMs());
    const Records = Array.from({ length: 10 }, (_, i) => ({ PartitionKey: `k${tick}-${i}`, Data: Buffer.from(sent) }));
    const sentAt = nowMs();
    void kinesis.send(new PutRecordsCommand({ StreamName, Records })).then(() => acks.push(nowMs() - sentAt), () => undefined);
    const wait = start + tick * 5 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  running = false;
  // Subscriptions end with the stream's deletion (or their next event); do not wait minutes for them.
  await kinesis.send(new DeleteStreamCommand({ StreamName, EnforceConsumerDeletion: true }));
  await Promise.race([Promise.allSettled(subscribers), new Promise((resolve) => setTimeout(resolve, 2000))]);
  return { ...quantiles(latencies.fromSend), n: latencies.fromSend.length, ack: quantiles(acks), fromAppend: quantiles(latencies.fromAppend) };
}

function quantiles(values: number[]): { p50: number; p99: number } {
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}
