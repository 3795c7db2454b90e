/**
 * A consumer group member in a process of its own, for kill -9 tests: joins the group named
 * by GROUP_STREAM / GROUP_NAME / GROUP_MEMBER (DATABASE_URL and NATS_URL as the platform's)
 * and prints one line per event on stdout: `D <shard> <seq> <key>:<n>` per record delivered,
 * `C <shard> <seq>` per checkpoint stored, `S <shards>` when its shards change. It
 * checkpoints only its first batch of each shard, so a kill leaves delivered records past
 * its checkpoints.
 */
import { Platform, readConfig, type GroupBatch } from '@shardline/streams';

async function main(): Promise<void> {
  const platform = await Platform.open(readConfig(), { gateway: false, shards: false });
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const checkpointed = new Set<string>();
  const handler = async (batch: GroupBatch) => {
    write(batch.records.map((r) => `D ${batch.shardId} ${r.sequenceNumber} ${r.data.toString()}`).join('\n'));
    if (checkpointed.has(batch.shardId)) return;
    await batch.checkpoint();
    checkpointed.add(batch.shardId);
    write(`C ${batch.shardId} ${batch.records.at(-1)!.sequenceNumber}`);
  };
  const session = await platform.groupDelivery.consume(process.env.GROUP_STREAM!, process.env.GROUP_NAME!, handler, {
    memberId: process.env.GROUP_MEMBER,
    autoCheckpoint: false,
    idleReadMs: 500,
  });
  let shards = '';
  setInterval(() => {
    if (session.shardIds.join() !== shards) write(`S ${(shards = session.shardIds.join())}`);
  }, 50);
  write(`joined ${session.memberId}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
