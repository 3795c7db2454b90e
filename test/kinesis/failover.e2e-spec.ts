import { Client } from 'pg';
import {
  CreateStreamCommand,
  PutRecordsCommand,
  waitUntilStreamExists,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import { removeShardStorage } from '../support/cleanup';
import { dropDatabase, scratchDatabaseUrl } from '../support/database';
import { kinesisClient } from '../support/platform';
import { freePort, startApp, type AppProcess } from '../support/processes';
import { randomName } from '../support/random-name';
import { readShard } from '../support/kinesis';

/**
 * The distributed data plane: a gateway process and two shards processes. Killing one
 * shards process (kill -9) during a steady PutRecords load moves its shards to the other
 * within seconds, and every record that got a sequence number is readable afterwards.
 */
describe('two shards processes, one killed under load', () => {
  const databaseUrl = scratchDatabaseUrl(randomName('sl_failover'));
  const env = {
    DATABASE_URL: databaseUrl,
    SHARDLINE_LEASE_TTL_MS: '3000',
    SHARDLINE_LEASE_TICK_MS: '500',
    SHARDLINE_STREAM_CREATE_DELAY_MS: '100',
    // The load runs as fast as it can: throttling would hide what this test looks for.
    SHARDLINE_SHARD_LIMITS: 'off',
  };
  let shardsA: AppProcess;
  let shardsB: AppProcess;
  let gateway: AppProcess;
  let kinesis: KinesisClient;

  beforeAll(async () => {
    [shardsA, shardsB] = await Promise.all([
      startApp('shards', env, /shards process \d+ started/),
      startApp('shards', env, /shards process \d+ started/),
    ]);
    const port = await freePort();
    gateway = await startApp('gateway', { ...env, PORT: String(port) }, /listening on/);
    kinesis = kinesisClient(`http://127.0.0.1:${port}`, 'h2c');
  }, 120_000);

  afterAll(async () => {
    kinesis?.destroy();
    await Promise.all([gateway, shardsA, shardsB].map((app) => app?.kill('SIGTERM')));
    await removeShardStorage(databaseUrl);
    await dropDatabase(databaseUrl);
  });

  it('appends through a remote owner requests larger than NATS max_payload, whole and in order', async () => {
    const StreamName = randomName('remote-big');
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });
    const big = Buffer.alloc(1024 * 1024, 0x5a);
    const Records = [
      { PartitionKey: 'a', Data: Buffer.from('before') },
      { PartitionKey: 'a', Data: big },
      ...Array.from({ length: 3 }, (_, i) => ({ PartitionKey: 'a', Data: Buffer.alloc(1000 * 1024, i) })),
    ];
    const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records }));
    expect(answer.FailedRecordCount).toBe(0);
    const read = await readShard(kinesis, StreamName, 'shardId-000000000000');
    expect(read.map((r) => r.SequenceNumber)).toEqual(answer.Records!.map((r) => r.SequenceNumber));
    read.forEach((r, i) => expect(Buffer.from(r.Data!).equals(Buffer.from(Records[i].Data))).toBe(true));
  }, 60_000);

  it('loses no acknowledged record when a shards process is killed', async () => {
    const StreamName = randomName('failover');
    await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 4 }));
    await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });
    expect(await waitForOwners(databaseUrl, 2)).toBe(2);

    const acked = new Map<string, string>();
    const failuresAt: number[] = [];
    let n = 0;
    const start = Date.now();
    let killedAt = 0;
    while (Date.now() - start < 16_000) {
      if (!killedAt && Date.now() - start > 2_000) {
        await shardsA.kill('SIGKILL');
        killedAt = Date.now();
      }
      const records = Array.from({ length: 100 }, () => ({ PartitionKey: `k${n % 64}`, Data: Buffer.from(`r${n++}`) }));
      try {
        const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records: records }));
        answer.Records!.forEach((r, i) => {
          if (r.SequenceNumber) acked.set(r.SequenceNumber, Buffer.from(records[i].Data).toString());
          else failuresAt.push(Date.now());
        });
      } catch {
        failuresAt.push(Date.now());
      }
    }
    // The shards moved: nothing failed in the last 4 seconds, and failover took < 10 s.
    const lastFailure = Math.max(killedAt, ...failuresAt);
    expect(lastFailure - killedAt).toBeLessThan(10_000);
    expect(Date.now() - lastFailure).toBeGreaterThan(4_000);

    const read = new Map<string, string>();
    for (let shard = 0; shard < 4; shard++) {
      for (const r of await readShard(kinesis, StreamName, `shardId-00000000000${shard}`)) {
        read.set(r.SequenceNumber!, Buffer.from(r.Data!).toString());
      }
    }
    const missing = [...acked].filter(([seq, data]) => read.get(seq) !== data);
    expect(missing).toEqual([]);
    expect(acked.size).toBeGreaterThan(1000);
  }, 120_000);
});

/** Waits until the shards are split between `count` live owners; answers how many own shards. */
async function waitForOwners(databaseUrl: string, count: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let owners = 0;
    for (let i = 0; i < 60 && owners < count; i++) {
      const { rows } = await client.query(
        'SELECT count(DISTINCT owner)::int AS owners FROM shard_leases WHERE expires_at > now()',
      );
      owners = rows[0].owners;
      if (owners < count) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return owners;
  } finally {
    await client.end();
  }
}
