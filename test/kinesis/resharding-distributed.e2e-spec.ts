import { UpdateShardCountCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { removeShardStorage } from '../support/cleanup';
import { dropDatabase, scratchDatabaseUrl } from '../support/database';
import { createActiveStream, waitActive } from '../support/kinesis';
import { kinesisClient } from '../support/platform';
import { freePort, startApp, type AppProcess } from '../support/processes';
import { randomName } from '../support/random-name';
import { expectExactlyOnceInOrder, listAllShards, PutLoad, readStreamByLineage } from '../support/resharding';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resharding across processes: the gateway (where the call lands) seals parents owned by
 * two shards processes over NATS, and every process learns of the new shard map from the
 * change notice: producers route to the children, readers see the parents CLOSED.
 */
describe('resharding with a gateway and two shards processes', () => {
  const databaseUrl = scratchDatabaseUrl(randomName('sl_reshard'));
  const env = {
    DATABASE_URL: databaseUrl,
    SHARDLINE_LEASE_TICK_MS: '250',
    SHARDLINE_STREAM_CREATE_DELAY_MS: '100',
    SHARDLINE_STREAM_UPDATE_DELAY_MS: '100',
    // Resharding is under test, not throughput limits: a merged child takes both parents'
    // load, past a provisioned shard's 1,000 records/s once remote appends got faster.
    SHARDLINE_SHARD_LIMITS: 'off',
  };
  let apps: AppProcess[] = [];
  let kinesis: KinesisClient;

  beforeAll(async () => {
    apps = await Promise.all([
      startApp('shards', env, /shards process \d+ started/),
      startApp('shards', env, /shards process \d+ started/),
    ]);
    const port = await freePort();
    apps.push(await startApp('gateway', { ...env, PORT: String(port) }, /listening on/));
    kinesis = kinesisClient(`http://127.0.0.1:${port}`, 'h2c');
  }, 120_000);

  afterAll(async () => {
    kinesis?.destroy();
    await Promise.all(apps.map((app) => app.kill('SIGTERM')));
    await removeShardStorage(databaseUrl);
    await dropDatabase(databaseUrl);
  });

  it('scales 2 -> 4 -> 2 under load through remote actors, losing and repeating nothing', async () => {
    const StreamName = randomName('remote-scale');
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });
    const load = new PutLoad(kinesis, StreamName).start();
    for (const TargetShardCount of [4, 2]) {
      await sleep(500);
      await kinesis.send(new UpdateShardCountCommand({ StreamName, TargetShardCount, ScalingType: 'UNIFORM_SCALING' }));
      await waitActive(kinesis, StreamName);
    }
    await sleep(500);
    await load.stop();
    expect(load.failed).toBe(0);
    const read = await readStreamByLineage(kinesis, StreamName);
    expectExactlyOnceInOrder(read, load.acked);
    const shards = await listAllShards(kinesis, StreamName);
    expect(shards.filter((s) => !s.SequenceNumberRange!.EndingSequenceNumber)).toHaveLength(2);
    expect(new Set(read.map((r) => r.shardId)).size).toBe(shards.length);
  }, 60_000);
});
