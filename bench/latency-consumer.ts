/**
 * The latency phase's consumer, in a worker thread of its own (a consumer is another
 * application than its producer; sharing one event loop would make the producer's timer
 * ticks wait behind the consumer's SDK calls). One poller per shard: GetRecords from LATEST,
 * then every 5 ms; each record's data is the epoch-ms time its put was sent.
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { parentPort, workerData } from 'node:worker_threads';
import { benchClient } from './client';
import { recordSeen, type SeenLatencies } from './load';

interface ConsumerInput {
  endpoint: string;
  StreamName: string;
  shardIds: string[];
}

async function consume({ endpoint, StreamName, shardIds }: ConsumerInput): Promise<void> {
  const kinesis = benchClient(endpoint);
  /** fromAppend: what polling adds after the append. */
  const seen: SeenLatencies = { fromSend: [], fromAppend: [] };
  let running = true;
  parentPort!.once('message', () => (running = false));
  const iterators = await Promise.all(
    shardIds.map(async (ShardId) => {
      const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName, ShardId, ShardIteratorType: 'LATEST' }));
      return ShardIterator;
    }),
  );
  parentPort!.postMessage({ ready: true });
  await Promise.all(
    iterators.map(async (first) => {
      let ShardIterator = first;
      while (running) {
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
        recordSeen(page.Records!, seen);
        ShardIterator = page.NextShardIterator;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }),
  );
  kinesis.destroy();
  parentPort!.postMessage(seen);
}

void consume(workerData as ConsumerInput);
