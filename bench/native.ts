/**
 * The native APIs' rates (issue 4), measured against the same server as the Kinesis phases:
 *   producer: the typed client's batching producer over NATS (`shardline.put.<stream>`),
 *             1 KiB records with distinct partition keys, per-key order kept (the default).
 *   group:    a consumer group of 2 members (the client's consume over NATS) reading the
 *             producer's stream from the start, timed from join until every record was handled.
 */
import { connect } from 'nats';
import { ShardlineClient, ShardlineProducer } from '@shardline/client';

/** The server's NATS API prefix (SHARDLINE_NATS_API_PREFIX, passed on to the bench server): benches run side by side on one NATS without answering each other's requests. */
const PREFIX = process.env.SHARDLINE_NATS_API_PREFIX ?? 'shardline';

export interface ProducerRate {
  rate: number;
  records: number;
}

export async function measureProducer(endpoint: string, natsUrl: string, stream: string, records: number, size: number): Promise<ProducerRate> {
  const client = new ShardlineClient({ endpoint });
  await client.streams.create({ name: stream, shardCount: 4 });
  await client.streams.waitFor(stream);
  const nc = await connect({ servers: natsUrl });
  const producer = new ShardlineProducer(nc, { maxInFlight: Number(process.env.BENCH_IN_FLIGHT ?? 8), prefix: PREFIX });
  try {
    const data = Buffer.alloc(size, 7);
    const start = performance.now();
    const acks: Array<Promise<unknown>> = [];
    for (let i = 0; i < records; i++) {
      acks.push(producer.put(stream, `pk-${i}`, data));
      // Let the producer's batches go out now and then, as an application's event loop would.
      if (i % 5000 === 4999) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(acks);
    return { rate: records / ((performance.now() - start) / 1000), records };
  } finally {
    await producer.close();
    await nc.close();
  }
}

/**
 * Two members of one group read the whole stream, in steady state: both join, their
 * handlers hold the first batches until the group has settled (2 shards each), and the clock
 * starts when they are let go; records are counted once by sequence number (a shard that
 * moved while its first batch was held is read again by its new owner).
 */
export async function measureGroup(endpoint: string, natsUrl: string, stream: string, records: number): Promise<ProducerRate> {
  const nc = await connect({ servers: natsUrl });
  const client = new ShardlineClient({ endpoint, nats: nc, natsPrefix: PREFIX });
  const seen = new Set<string>();
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const handler = async (batch: { records: Array<{ sequenceNumber: string }> }) => {
    await gate;
    for (const record of batch.records) seen.add(record.sequenceNumber);
    if (seen.size >= records) done();
  };
  const group = client.group(stream, `bench-${Date.now()}`);
  try {
    const members = [await group.consumeBatches(handler), await group.consumeBatches(handler)];
    while (members.some((m) => m.shards.length !== 2)) await new Promise((resolve) => setTimeout(resolve, 50));
    const start = performance.now();
    open();
    await finished;
    const rate = records / ((performance.now() - start) / 1000);
    await Promise.all(members.map((m) => m.stop()));
    return { rate, records };
  } finally {
    await nc.close();
  }
}
