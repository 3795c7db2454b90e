/**
 * The latency phase's consumer, in a worker thread of its own (a consumer is another
 * application than its producer; sharing one event loop would make the producer's timer
 * ticks wait behind the consumer's SDK calls). One poller per shard: GetRecords from LATEST,
 * then every 5 ms; each record's data is the epoch-ms time its put was sent.
 */
import { GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-kinesis';
import { parentPort, workerData } from 'node:worker_threads';
import { benchClient } from './client';

interface ConsumerInput {
  endpoint: string;
  StreamName: string;
  shardIds: string[];
}

async function consume({ endpoint, StreamName, shardIds }: ConsumerInput): Promise<void> {
  const kinesis = benchClient(endpoint);
  const latencies: number[] = [];
  /** From the actor's arrival stamp (whole ms): what polling adds after the append. */
  const fromAppend: number[] = [];
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
        const now = performance.timeOrigin + performance.now();
        for (const r of page.Records!) {
          latencies.push(now - Number(Buffer.from(r.Data!).toString()));
          fromAppend.push(now - r.ApproximateArrivalTimestamp!.getTime());
        }
        ShardIterator = page.NextShardIterator;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }),
  );
  kinesis.destroy();
  parentPort!.postMessage({ latencies, fromAppend });
}

void consume(workerData as ConsumerInput);
