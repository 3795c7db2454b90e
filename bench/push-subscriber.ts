/**
 * The push phase's subscriber, in a worker thread of its own with its own SDK client (a
 * consumer is another application than its producer: on one event loop, the events would
 * wait behind the producer's PutRecords work, ~1-3 ms of SDK CPU each). One
 * SubscribeToShardCommand per shard, renewed when it ends (the server's time limit); each
 * record's latency is taken from its data (the epoch-ms time its put was sent) and from its
 * ApproximateArrivalTimestamp, which the shard actor stamps as it appends (same machine, same
 * clock; whole milliseconds, so that one reads up to 1 ms high).
 */
import { SubscribeToShardCommand } from '@aws-sdk/client-kinesis';
import { parentPort, workerData } from 'node:worker_threads';
import { benchClient } from './client';
import { nowMs } from './load';

interface SubscriberInput {
  endpoint: string;
  ConsumerARN: string;
  shardIds: string[];
}

async function subscribe({ endpoint, ConsumerARN, shardIds }: SubscriberInput): Promise<void> {
  const kinesis = benchClient(endpoint);
  const fromSend: number[] = [];
  const fromAppend: number[] = [];
  let running = true;
  let subscribed = 0;
  parentPort!.once('message', () => {
    running = false;
    parentPort!.postMessage({ fromSend, fromAppend });
  });
  const shard = async (ShardId: string) => {
    let continuation: string | undefined;
    while (running) {
      const StartingPosition = continuation ? { Type: 'AFTER_SEQUENCE_NUMBER' as const, SequenceNumber: continuation } : { Type: 'LATEST' as const };
      const { EventStream } = await kinesis.send(new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition }));
      if (++subscribed === shardIds.length) parentPort!.postMessage({ ready: true });
      for await (const item of EventStream!) {
        const event = item.SubscribeToShardEvent;
        if (!event) continue;
        const now = nowMs();
        for (const record of event.Records ?? []) {
          fromSend.push(now - Number(Buffer.from(record.Data!).toString()));
          fromAppend.push(now - record.ApproximateArrivalTimestamp!.getTime());
        }
        continuation = event.ContinuationSequenceNumber ?? continuation;
        if (!running) break;
      }
    }
  };
  // Subscriptions end with the stream's deletion; the main thread terminates this worker.
  await Promise.allSettled(shardIds.map(shard));
}

void subscribe(workerData as SubscriberInput);
