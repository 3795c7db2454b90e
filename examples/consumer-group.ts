/**
 * Two members of one consumer group share a stream's shards: each record is handled by one of
 * them and checkpointed once its handler resolved; when the second member stops, the first
 * takes its shards over from their checkpoints. Run against a local Shardline (`npm start`):
 *
 *   node -r @swc-node/register examples/consumer-group.ts
 *
 * SHARDLINE_ENDPOINT, NATS_URL and SHARDLINE_NATS_API_PREFIX override the defaults. Without
 * a NATS connection (`new ShardlineClient({ endpoint })`), consume() uses REST + SSE instead.
 */
import { connect } from 'nats';
import { ShardlineClient, ShardlineProducer, type GroupRecord } from '@shardline/client';

const COUNT = 2000;

async function main(): Promise<void> {
  const prefix = process.env.SHARDLINE_NATS_API_PREFIX ?? 'shardline';
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  const client = new ShardlineClient({ endpoint: process.env.SHARDLINE_ENDPOINT ?? 'http://127.0.0.1:4567', nats: nc, natsPrefix: prefix });
  const name = `example-group-${Date.now().toString(36)}`;
  await client.streams.create({ name, shardCount: 4 });
  await client.streams.waitFor(name, 'ACTIVE');

  const handledBy = new Map<string, number>();
  let handled = 0;
  const handler = (member: string) => async (record: GroupRecord) => {
    const order = JSON.parse(record.data.toString()) as { order: number };
    if (order.order % 500 === 0) console.log(`${member} handles order ${order.order} (${record.shardId})`);
    handledBy.set(member, (handledBy.get(member) ?? 0) + 1);
    handled++;
  };
  const billing = client.group(name, 'billing');
  const a = await billing.consume(handler('a'));
  const b = await billing.consume(handler('b'));
  // A shard moving between live members waits for its holder's next heartbeat or two: 2/2 after ~3 s.
  while (a.shards.length !== 2 || b.shards.length !== 2) await new Promise((resolve) => setTimeout(resolve, 100));
  console.log('shards', { a: a.shards, b: b.shards });

  const producer = new ShardlineProducer(nc, { prefix });
  await producer.putMany(name, Array.from({ length: COUNT }, (_, n) => ({ key: `customer-${n % 25}`, data: JSON.stringify({ order: n }) })));
  await producer.close();
  while (handled < COUNT) await new Promise((resolve) => setTimeout(resolve, 100));
  console.log(`handled ${handled} records:`, Object.fromEntries(handledBy));

  await b.stop(); // leaves: its shards go to a at once
  const view = await billing.describe();
  console.log(view.shards.map((s) => `${s.shardId} owner=${s.owner ?? '-'} lag=${s.lagRecords}`).join('\n'));
  await a.stop();
  await client.streams.delete(name);
  await nc.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
