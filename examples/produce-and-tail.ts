/**
 * Creates a stream, produces records over NATS with the batching producer, and reads them
 * back through the SSE tail. Run against a local Shardline (`npm start`):
 *
 *   node -r @swc-node/register examples/produce-and-tail.ts
 *
 * SHARDLINE_ENDPOINT, NATS_URL and SHARDLINE_NATS_API_PREFIX override the defaults.
 */
import { ShardlineClient, ShardlineProducer } from '@shardline/client';

const COUNT = 1000;

async function main(): Promise<void> {
  const client = new ShardlineClient({ endpoint: process.env.SHARDLINE_ENDPOINT ?? 'http://127.0.0.1:4567' });
  const name = `example-${Date.now().toString(36)}`;
  await client.streams.create({ name, shardCount: 2 });
  await client.streams.waitFor(name, 'ACTIVE');

  const producer = await ShardlineProducer.connect(
    { servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' },
    { prefix: process.env.SHARDLINE_NATS_API_PREFIX ?? 'shardline' },
  );
  const started = Date.now();
  const orders = Array.from({ length: COUNT }, (_, n) => ({ key: `customer-${n % 10}`, data: JSON.stringify({ order: n, total: n * 3 }) }));
  const acks = await producer.putMany(name, orders);
  await producer.close();
  console.log(`put ${acks.length} records in ${Date.now() - started} ms (${producer.stats.requests} requests); first on ${acks[0].shardId}`);

  let seen = 0;
  for await (const { record } of client.tail(name, { from: 'TRIM_HORIZON' })) {
    if (seen++ < 3) console.log(record.partitionKey, record.data);
    if (seen === COUNT) break; // leaving the loop closes the connection
  }
  console.log(`tailed ${seen} records`);
  await client.streams.delete(name);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
