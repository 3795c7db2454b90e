import { Client } from 'pg';
import { connect } from 'nats';
import { shardStreamName } from '@shardline/messaging';

/**
 * Deletes the JetStream streams of every shard recorded in a test database, so test runs
 * do not leave shard storage behind on the shared NATS server.
 */
export async function removeShardStorage(databaseUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  let rows: Array<{ stream_id: string; shard_index: number }>;
  try {
    rows = (await db.query('SELECT stream_id, shard_index FROM shards')).rows;
  } finally {
    await db.end();
  }
  const nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
  try {
    const jsm = await nc.jetstreamManager();
    await Promise.all(rows.map((r) => jsm.streams.delete(shardStreamName(r.stream_id, r.shard_index)).catch(() => false)));
  } finally {
    await nc.close();
  }
}
