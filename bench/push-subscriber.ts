/**
 * The push phase's subscriber, in a worker thread of its own with its own SDK client (a
 * consumer is another application than its producer: on one event loop, the events would
 * wait behind the producer's PutRecords work, ~1-3 ms of SDK CPU each). One
 * SubscribeToShardCommand per shard, renewed when it ends (the server's time limit); each
 * record's latencies as load.ts's recordSeen takes them.
 */
import { SubscribeToShardCommand } from '@aws-sdk/client-kinesis';
import { parentPort, workerData } from 'node:worker_threads';
import { benchClient } from './client';
import { recordSeen, type SeenLatencies } from './load';

interface SubscriberInput {
  endpoint: string;
  ConsumerARN: string;
  shardIds: string[];
}

async function subscribe({ endpoint, ConsumerARN, shardIds }: SubscriberInput): Promise<void> {
  const kinesis = benchClient(endpoint);
  const seen: SeenLatencies = { fromSend: [], fromAppend: [] };
  let running = true;
  let subscribed = 0;
  parentPort!.once('message', () => {
    running = false;
    parentPort!.postMessage(seen);
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
        recordSeen(event.Records ?? [], seen);
        continuation = event.ContinuationSequenceNumber ?? continuation;
        if (!running) break;
      }
    }
  };
  // Subscriptions end with the stream's deletion; the main thread terminates this worker.
  await Promise.allSettled(shardIds.map(shard));
}

void subscribe(workerData as SubscriberInput);
