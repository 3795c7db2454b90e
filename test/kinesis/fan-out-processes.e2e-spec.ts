import { PutRecordsCommand, SubscribeToShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { removeShardStorage } from '../support/cleanup';
import { dropDatabase, scratchDatabaseUrl } from '../support/database';
import { activeConsumer, recordsOf, subscribe } from '../support/fan-out';
import { createActiveStream, expectAwsError } from '../support/kinesis';
import { kinesisClient } from '../support/platform';
import { freePort, startApp, type AppProcess } from '../support/processes';
import { randomName } from '../support/random-name';

/**
 * Enhanced fan-out across processes: the shard's actor lives in a `shards` process, the
 * subscriber on gateway A, the writer on gateway B. Records reach the subscriber through the
 * append notices on NATS, and the (consumer, shard) lease in Postgres refuses a second
 * subscription on the other gateway.
 */
describe('SubscribeToShard across processes', () => {
  const databaseUrl = scratchDatabaseUrl(randomName('sl_efo'));
  const env = {
    DATABASE_URL: databaseUrl,
    SHARDLINE_STREAM_CREATE_DELAY_MS: '100',
    SHARDLINE_CONSUMER_CREATE_DELAY_MS: '50',
    SHARDLINE_LEASE_TICK_MS: '250',
  };
  let shards: AppProcess;
  let gateways: AppProcess[] = [];
  let a: KinesisClient;
  let b: KinesisClient;

  beforeAll(async () => {
    shards = await startApp('shards', env, /shards process \d+ started/);
    const ports = [await freePort(), await freePort()];
    gateways = await Promise.all(ports.map((port) => startApp('gateway', { ...env, PORT: String(port) }, /listening on/)));
    [a, b] = ports.map((port) => kinesisClient(`http://127.0.0.1:${port}`, 'h2c'));
  }, 120_000);

  afterAll(async () => {
    a?.destroy();
    b?.destroy();
    await Promise.all([...gateways, shards].map((app) => app?.kill('SIGTERM')));
    await removeShardStorage(databaseUrl);
    await dropDatabase(databaseUrl);
  });

  it('pushes records appended by another process, and holds one subscription per consumer and shard across gateways', async () => {
    const StreamName = randomName('efo');
    await createActiveStream(b, { StreamName, ShardCount: 1 });
    const ConsumerARN = await activeConsumer(b, StreamName, 'app');
    const ShardId = 'shardId-000000000000';
    const sub = await subscribe(a, ConsumerARN, ShardId, { Type: 'LATEST' });
    await expectAwsError(
      b.send(new SubscribeToShardCommand({ ConsumerARN, ShardId, StartingPosition: { Type: 'LATEST' } })),
      'ResourceInUseException',
    );
    const sent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const Records = Array.from({ length: 5 }, (_, j) => ({ PartitionKey: 'k', Data: Buffer.from(`${i}-${j}`) }));
      const answer = await b.send(new PutRecordsCommand({ StreamName, Records }));
      sent.push(...answer.Records!.map((r) => r.SequenceNumber!));
    }
    await sub.until((events) => recordsOf(events).length >= sent.length, 15_000);
    expect(recordsOf(sub.events).map((r) => r.SequenceNumber)).toEqual(sent);
    sub.stop();
  }, 60_000);
});
