/**
 * `npm run bench:throttle`: per-shard write throttling of a PROVISIONED stream, through the
 * unmodified SDK (h2c, no retries) against an in-process platform with AWS's default limits
 * (1,000 records/s, 1 MiB/s per shard). A one-shard stream is written at 50 %, 90 %, 100 %,
 * 150 % and 200 % of the record limit for 5 s each (100 ms ticks); the table shows what was
 * accepted per second and what was refused. Stored arrivals are checked too: no one-second
 * span may hold more than the limit.
 */
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createActiveStream, readShard } from '../test/support/kinesis';
import { startTestPlatform } from '../test/support/platform';

const LIMIT = 1000;
const SECONDS = 5;

async function main(): Promise<void> {
  const test = await startTestPlatform({ shardLimits: { enabled: true, readCallsPerSecond: 5, readBytesPerSecond: 2 * 1024 * 1024 } });
  const kinesis = new KinesisClient({
    endpoint: test.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    maxAttempts: 1,
  });
  try {
    console.log(`offered   accepted/s  refused  max stored in any 1 s (limit ${LIMIT} records/s per shard)`);
    for (const share of [0.5, 0.9, 1, 1.5, 2]) {
      const StreamName = `throttle-${Date.now()}`;
      await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1500)); // the shard's actor starts
      const perTick = Math.round((LIMIT * share) / 10);
      let accepted = 0;
      let refused = 0;
      const start = Date.now();
      for (let tick = 0; tick < SECONDS * 10; tick++) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + tick * 100 - Date.now())));
        const Records = Array.from({ length: perTick }, (_, i) => ({ PartitionKey: `k${i}`, Data: Buffer.from(`t${tick}-${i}`) }));
        const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
        refused += answer.FailedRecordCount ?? 0;
        accepted += perTick - (answer.FailedRecordCount ?? 0);
      }
      const times = (await readShard(kinesis, StreamName, 'shardId-000000000000')).map((r) => r.ApproximateArrivalTimestamp!.getTime());
      let worst = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while (times[i]! - times[j]! >= 1000) j++;
        worst = Math.max(worst, i - j + 1);
      }
      const rate = accepted / ((Date.now() - start) / 1000);
      console.log(`${String(Math.round(share * 100)).padStart(4)} %   ${Math.round(rate).toString().padStart(9)}  ${String(refused).padStart(7)}  ${worst}`);
    }
  } finally {
    kinesis.destroy();
    await test.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
