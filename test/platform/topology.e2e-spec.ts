/**
 * `npm run start:topology` serves: the launcher starts every app of apps/ as its own process
 * (gateway, two shards processes, firehose...), each healthy on its own port; a stream created
 * through the gateway is written by the shards processes and a delivery stream reading it is
 * delivered by the firehose process into the directory store of its data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { DescribeStreamCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { DirectoryObjectStore } from '@shardline/firehose';
import { topologyApps, type Topology } from '../../tools/topology';
import { removeShardStorage } from '../support/cleanup';
import { dropDatabase, scratchDatabaseUrl } from '../support/database';
import { eventually } from '../support/firehose';
import { createActiveStream } from '../support/kinesis';
import { kinesisClient } from '../support/platform';
import { randomName } from '../support/random-name';
import { createFromStream, firehoseClient, removeDeliveryStorage } from '../firehose/support';
import { startTestTopology, waitForLeaseOwners } from '../support/topology';

describe('the local topology', () => {
  const databaseUrl = scratchDatabaseUrl(randomName('sl_topology'));
  const dataDir = mkdtempSync(join(tmpdir(), 'shardline-topology-'));
  let topology: Topology;
  let kinesis: KinesisClient;
  let firehose: FirehoseClient;

  beforeAll(async () => {
    topology = await startTestTopology({ databaseUrl, env: { SHARDLINE_DATA_DIR: dataDir, SHARDLINE_FIREHOSE_RECONCILE_MS: '500' } });
    kinesis = kinesisClient(topology.endpoint, 'http1');
    firehose = firehoseClient(topology.endpoint);
  }, 120_000);

  afterAll(async () => {
    kinesis?.destroy();
    firehose?.destroy();
    await topology?.stop(5_000);
    await removeDeliveryStorage(databaseUrl).catch(() => undefined);
    await removeShardStorage(databaseUrl).catch(() => undefined);
    await dropDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs every app of apps/ (two shards processes), each ready on its own port', async () => {
    const expected = topologyApps().flatMap((app) => (app === 'shards' ? ['shards-1', 'shards-2'] : [app]));
    expect(topology.processes.map((p) => p.name)).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining(['gateway', 'shards-1', 'shards-2', 'firehose']));
    expect(new Set(topology.processes.map((p) => p.port)).size).toBe(expected.length);
    for (const p of topology.processes) {
      expect((await fetch(`http://127.0.0.1:${p.port}/health/ready`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${p.port}/metrics`)).text()).toContain('process_resident_memory_bytes');
    }
  });

  it('writes through the shards processes and delivers through the firehose process', async () => {
    const StreamName = randomName('topology');
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });
    expect(await waitForLeaseOwners(databaseUrl, 2)).toBe(2);
    const { StreamDescription } = await kinesis.send(new DescribeStreamCommand({ StreamName }));
    const name = randomName('topology-fh');
    const bucket = randomName('topology').toLowerCase();
    await createFromStream(firehose, name, StreamDescription!.StreamARN!, bucket);
    const Records = Array.from({ length: 100 }, (_, i) => ({ PartitionKey: `key-${i % 10}`, Data: Buffer.from(`${i}\n`) }));
    expect((await kinesis.send(new PutRecordsCommand({ StreamName, Records }))).FailedRecordCount).toBe(0);

    const store = new DirectoryObjectStore(join(dataDir, 'buckets'));
    const delivered = await eventually(async () => {
      const keys = await store.list(bucket).catch(() => []);
      const numbers = (await Promise.all(keys.map(async (k) => (await store.get(bucket, k)).toString())))
        .join('')
        .split('\n')
        .filter(Boolean)
        .map(Number);
      return numbers.length >= 100 && numbers;
    }, 30_000);
    expect([...delivered].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  }, 60_000);
});
