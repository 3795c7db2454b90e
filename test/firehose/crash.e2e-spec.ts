/**
 * kill -9 of a firehose process while it delivers: another process takes the delivery
 * stream over, redoes the batch that was in flight under the same object names, and every
 * record put ends up in exactly one object (nothing lost, no duplicate object).
 */
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { eventually } from '../support/firehose';
import { startApp, type AppProcess } from '../support/processes';
import { randomName } from '../support/random-name';
import { firehoseClient, removeDeliveryStorage, ROLE_ARN, waitStatus } from './support';

const RECORDS = 12_000;

describe('a firehose process killed mid-delivery', () => {
  let sl: TestPlatform;
  let firehose: FirehoseClient;
  let dataDir: string;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    sl = await startTestPlatform();
    firehose = firehoseClient(sl.endpoint);
    dataDir = await mkdtemp(join(tmpdir(), 'shardline-fh-crash-'));
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    firehose.destroy();
    await removeDeliveryStorage(sl.config.databaseUrl);
    await sl.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const startFirehose = async () => {
    const app = await startApp(
      'firehose',
      { DATABASE_URL: sl.config.databaseUrl, SHARDLINE_DATA_DIR: dataDir, SHARDLINE_FIREHOSE_RECONCILE_MS: '200' },
      /firehose process \d+ started/,
    );
    processes.push(app);
    return app;
  };

  /** Lines of every delivered object, by object. */
  async function objects(bucket: string): Promise<string[][]> {
    const dir = join(dataDir, 'buckets', bucket);
    const files = (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((f) => f.isFile() && !f.name.startsWith('.'));
    return Promise.all(files.map(async (f) => (await readFile(join(f.parentPath, f.name))).toString().split('\n').filter(Boolean)));
  }

  it('loses no record and writes none twice', async () => {
    const name = randomName('fh-crash');
    const bucket = randomName('crash').toLowerCase();
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          RoleARN: ROLE_ARN,
          BucketARN: `arn:aws:s3:::${bucket}`,
          BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 1 },
        },
      }),
    );
    await waitStatus(firehose, name);
    const first = await startFirehose();
    const db = new Client({ connectionString: sl.config.databaseUrl });
    await db.connect();
    try {
      const pad = 'p'.repeat(1000);
      const putting = (async () => {
        for (let i = 0; i < RECORDS; i += 200) {
          const Records = Array.from({ length: 200 }, (_, j) => ({ Data: Buffer.from(`${i + j} ${pad}\n`) }));
          expect((await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records }))).FailedPutCount).toBe(0);
        }
      })();
      // Kill the first process while a batch is written down but not committed, if we catch one; else mid-stream.
      await eventually(async () => (await objects(bucket)).length >= 2, 30_000);
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline) {
        const { rows } = await db.query('SELECT pending_from_seq FROM delivery_progress WHERE pending_from_seq IS NOT NULL');
        if (rows.length) break;
      }
      await first.kill('SIGKILL');
      const second = await startFirehose();
      await putting;
      const delivered = await eventually(async () => {
        const found = await objects(bucket);
        return found.flat().length >= RECORDS && found;
      }, 60_000);
      const numbers = delivered.flat().map((line) => Number(line.split(' ')[0]));
      expect(numbers.length).toBe(RECORDS);
      expect(new Set(numbers).size).toBe(RECORDS);
      await second.kill('SIGTERM');
    } finally {
      await db.end();
    }
  });
});
