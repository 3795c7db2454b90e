/**
 * The web console in real headless Chromium (Debian's chromium driven by playwright-core):
 * against a whole platform (gateway, shards, firehose and analytics in this process), it
 * walks the streams list, a resharded stream's page (shards by hash-key range with parents
 * and children, the throughput chart moving, the iterator age, a group's lag, the live tail
 * showing a record put after the page opened), a delivery stream (configuration, progress,
 * delivered objects, error output) and an analytics application (the SQL editor saves a new
 * version, live results show its rows and the error stream). Screenshots of every page go to
 * test-results/console/ (and to docs/console/ with SHARDLINE_CONSOLE_SCREENSHOTS=docs).
 */
import { GetRecordsCommand, GetShardIteratorCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { CreateDeliveryStreamCommand, PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import { connect } from 'nats';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyticsRuntime } from '@shardline/analytics';
import { putJson, startTestAnalytics, waitApplication } from '../support/analytics';
import { ensureConsoleBuilt } from '../support/console';
import { eventually, startTestFirehose, type TestFirehose } from '../support/firehose';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { createActive, rest, waitStatus } from '../support/rest';
import { firehoseClient, REGION_PARTITIONING, removeDeliveryStorage, ROLE_ARN, waitStatus as waitDeliveryStatus } from '../firehose/support';

const ROOT = join(__dirname, '../..');
const SHOTS = [join(ROOT, 'test-results/console'), ...(process.env.SHARDLINE_CONSOLE_SCREENSHOTS === 'docs' ? [join(ROOT, 'docs/console')] : [])];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the web console in headless Chromium', () => {
  let sl: TestPlatform;
  let fh: TestFirehose;
  let analytics: AnalyticsRuntime;
  let kinesis: KinesisClient;
  let firehose: FirehoseClient;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const previousDataDir = process.env.SHARDLINE_DATA_DIR;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    // The gateway lists delivered objects with the firehose role's store: the same data directory.
    dataDir = await mkdtemp(join(tmpdir(), 'shardline-console-'));
    process.env.SHARDLINE_DATA_DIR = dataDir;
    sl = await startTestPlatform();
    fh = await startTestFirehose(sl, { dataDir });
    analytics = await startTestAnalytics(sl);
    kinesis = kinesisClient(sl.endpoint, 'http1');
    firehose = firehoseClient(sl.endpoint);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.setDefaultTimeout(20_000);
    await Promise.all(SHOTS.map((dir) => mkdir(dir, { recursive: true })));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    kinesis?.destroy();
    firehose?.destroy();
    await analytics?.close();
    await fh?.close();
    if (sl) {
      await removeDeliveryStorage(sl.config.databaseUrl);
      await sl.close();
    }
    if (previousDataDir === undefined) delete process.env.SHARDLINE_DATA_DIR;
    else process.env.SHARDLINE_DATA_DIR = previousDataDir;
    await rm(dataDir, { recursive: true, force: true });
  });

  const screenshot = async (name: string) => {
    for (const dir of SHOTS) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
  };
  const text = (selector: string) => page.locator(selector).innerText();

  it('serves the built console at /console, with deep links answered by its index.html', async () => {
    const res = await fetch(`${sl.endpoint}/console`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/console/');
    const deep = await fetch(`${sl.endpoint}/console/streams/anything`);
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain('<div id="app"></div>');
    expect((await fetch(`${sl.endpoint}/console/assets/nope.js`)).status).toBe(404);
  });

  it("answers the console's views from the platform's own counters, with problems for what does not exist", async () => {
    const stream = randomName('console-metrics');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const zero = (await rest(sl.endpoint, 'GET', `/v1/streams/${stream}/metrics`)).body;
    expect(zero).toEqual(expect.objectContaining({ stream, incomingRecords: 0, outgoingRecords: 0, iteratorAgeMillis: 0 }));
    await putJson(sl.endpoint, stream, Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, data: { i } })));
    const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }));
    expect((await kinesis.send(new GetRecordsCommand({ ShardIterator }))).Records).toHaveLength(7);
    const after = (await rest(sl.endpoint, 'GET', `/v1/streams/${stream}/metrics`)).body;
    expect(after).toEqual(expect.objectContaining({ incomingRecords: 7, outgoingRecords: 7 }));
    expect(after.incomingBytes).toBeGreaterThan(0);
    expect(Date.parse(after.sampledAt)).toBeGreaterThanOrEqual(Date.parse(zero.sampledAt));

    const missing = await rest(sl.endpoint, 'GET', `/v1/streams/${randomName('nope')}/metrics`);
    expect(missing.status).toBe(404);
    expect(missing.contentType).toContain('application/problem+json');
    expect((await rest(sl.endpoint, 'GET', `/v1/delivery-streams/${randomName('nope')}`)).status).toBe(404);
    expect((await rest(sl.endpoint, 'GET', '/v1/delivery-streams')).body.deliveryStreams).toEqual(expect.any(Array));

    // The same operations over NATS (shardline.api.<operation>), from the same services.
    const nc = await connect({ servers: sl.config.natsUrl });
    try {
      const ask = async (operation: string, payload: unknown) =>
        JSON.parse((await nc.request(`${sl.config.natsApiPrefix}.api.${operation}`, JSON.stringify(payload), { timeout: 10_000 })).string());
      expect(await ask('streamMetrics', { name: stream })).toEqual(expect.objectContaining({ stream, incomingRecords: 7 }));
      expect(await ask('listDeliveryStreams', {})).toEqual({ deliveryStreams: expect.any(Array) });
    } finally {
      await nc.close();
    }
  });

  it('lists streams, draws a resharded stream, charts its throughput and tails it live', async () => {
    const stream = randomName('console');
    const group = randomName('grp');
    await createActive(sl.endpoint, { name: stream, shardCount: 2 });
    await putJson(sl.endpoint, stream, Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, data: { n: i } })));
    // Split the first shard at the middle of its range: it closes, two children open.
    const before = (await rest(sl.endpoint, 'GET', `/v1/streams/${stream}`)).body;
    const first = before.shards[0].hashKeyRange;
    const middle = (BigInt(first.start) + BigInt(first.end)) / 2n;
    await kinesis.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: middle.toString() }));
    await waitStatus(sl.endpoint, stream, 'ACTIVE');
    const described = (await rest(sl.endpoint, 'GET', `/v1/streams/${stream}`)).body;
    expect(described.shards).toHaveLength(4);
    // A consumer group with one member that has not checkpointed: every record is lag.
    expect((await rest(sl.endpoint, 'POST', `/v1/streams/${stream}/groups/${group}/members`, {})).status).toBe(201);

    await page.goto(`${sl.endpoint}/console/`);
    const row = page.locator(`tr[data-stream="${stream}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('ACTIVE');
    // Throughput shows from the second sample on (a rate is the difference of two).
    await eventually(async () => /^\d+\.\d$/.test(await row.locator('td.num').first().innerText()), 20_000);
    expect(await row.locator('td.num').nth(2).innerText()).toBe('20');
    await screenshot('streams');

    await row.locator('a').click();
    await page.waitForURL(`**/console/streams/${stream}`);
    await page.locator('.shard-map g[data-shard-id]').nth(3).waitFor();
    const drawn = await page.locator('.shard-map g[data-shard-id]').evaluateAll((gs) =>
      gs.map((g) => ({ id: g.getAttribute('data-shard-id'), status: g.getAttribute('data-status'), parent: g.getAttribute('data-parent') })),
    );
    expect(drawn).toEqual(
      described.shards.map((s: { shardId: string; status: string; parentShardId?: string }) => ({ id: s.shardId, status: s.status, parent: s.parentShardId ?? '' })),
    );
    expect(drawn.filter((s) => s.parent === 'shardId-000000000000')).toHaveLength(2);
    expect(drawn.find((s) => s.id === 'shardId-000000000000')!.status).toBe('CLOSED');
    const shardTable = await text('[data-testid="shards"]');
    for (const s of described.shards) {
      expect(shardTable).toContain(s.hashKeyRange.start);
      expect(shardTable).toContain(s.hashKeyRange.end);
    }
    // The group's lag, as the REST API reports it.
    const lagCells = page.locator(`[data-group="${group}"] .lag-records`);
    await lagCells.first().waitFor();
    await eventually(async () => (await lagCells.allInnerTexts()).map(Number).reduce((a, b) => a + b, 0) > 0, 20_000);

    // A steady load and a reader: the chart's incoming and outgoing rates move.
    let running = true;
    const load = (async () => {
      const iterator = (
        await kinesis.send(new GetShardIteratorCommand({ StreamName: stream, ShardId: 'shardId-000000000001', ShardIteratorType: 'TRIM_HORIZON' }))
      ).ShardIterator;
      let next = iterator;
      for (let i = 0; running; i++) {
        await putJson(sl.endpoint, stream, Array.from({ length: 10 + (i % 5) * 10 }, (_, j) => ({ key: `load${j}`, data: { i, j } })));
        if (next) next = (await kinesis.send(new GetRecordsCommand({ ShardIterator: next }))).NextShardIterator;
        await sleep(100);
      }
    })();
    try {
      const chart = page.locator('.chart');
      await chart.locator('canvas').waitFor();
      const seen = new Set<string>();
      await eventually(async () => {
        const incoming = await chart.getAttribute('data-incoming');
        if (incoming && Number(incoming) > 0) seen.add(incoming);
        return seen.size >= 3; // the latest point keeps changing: the data moves
      }, 30_000);
      await eventually(async () => Number(await chart.getAttribute('data-outgoing')) > 0, 30_000);
      expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
      expect(await text('.iterator-age')).toMatch(/^\d+ ms$/);
      await page.locator('[data-testid="tail"] tr.record', { hasText: 'load' }).first().waitFor();
    } finally {
      running = false;
      await load;
    }
    // The tail opened with the page: a record put now (the load stopped, so it stays among the newest shown) shows up in it.
    const marker = randomName('marker');
    await putJson(sl.endpoint, stream, [{ key: 'tail', data: { marker } }]);
    await page.locator('[data-testid="tail"] tr.record', { hasText: marker }).waitFor();
    await screenshot('stream');
  }, 90_000);

  it('shows a delivery stream: configuration, progress, delivered objects and error output', async () => {
    const name = randomName('console-fh');
    const bucket = randomName('console').toLowerCase();
    await firehose.send(
      new CreateDeliveryStreamCommand({
        DeliveryStreamName: name,
        ExtendedS3DestinationConfiguration: {
          RoleARN: ROLE_ARN,
          BucketARN: `arn:aws:s3:::${bucket}`,
          Prefix: 'region=!{partitionKeyFromQuery:region}/',
          ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/',
          BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 0 },
          ...REGION_PARTITIONING,
        },
      }),
    );
    await waitDeliveryStatus(firehose, name);
    const records = ['{"region":"eu","n":1}', '{"region":"us","n":2}', 'not json'].map((t) => ({ Data: Buffer.from(t) }));
    expect((await firehose.send(new PutRecordBatchCommand({ DeliveryStreamName: name, Records: records }))).FailedPutCount).toBe(0);

    await page.goto(`${sl.endpoint}/console/delivery-streams`);
    const row = page.locator(`tr[data-delivery-stream="${name}"]`);
    await row.waitFor();
    expect(await row.innerText()).toMatch(/DirectPut\s+ACTIVE\s+ExtendedS3/);
    await row.locator('a').click();
    await page.waitForURL(`**/console/delivery-streams/${name}`);
    await page.locator('[data-testid="objects"] li', { hasText: 'region=us/' }).waitFor();
    await page.locator('[data-testid="objects"] li', { hasText: 'region=eu/' }).waitFor();
    await page.locator('[data-testid="error-objects"] li', { hasText: 'errors/partitioning-failed/' }).waitFor();
    expect(await text('[data-testid="last-error"]')).toContain(Buffer.from('not json').toString('base64'));
    expect(await text('[data-testid="configuration"]')).toContain(`"BucketARN": "arn:aws:s3:::${bucket}"`);
    // The direct-put source's buffer: its one stored message (the batch) is committed just after its objects are written.
    const source = page.locator('[data-testid="progress"] tr[data-source=""]');
    await eventually(async () => (await source.getAttribute('data-committed')) === '1', 20_000);
    expect(await source.getAttribute('data-stored')).toBe('1');
    expect(await source.innerText()).toMatch(/^direct put\s+1\s+1\s+0\s+—$/);
    await page.locator('[data-testid="delivery-metrics"] tr', { hasText: 'firehose_delivery_to_s3_records_total' }).waitFor();
    await screenshot('delivery-stream');
  }, 60_000);

  it('edits an analytics application’s SQL and shows live results and the error stream', async () => {
    const input = randomName('console-in');
    const name = randomName('console-app');
    await createActive(sl.endpoint, { name: input, shardCount: 1 });
    const created = await rest(sl.endpoint, 'POST', '/v1/analytics/applications', {
      name,
      input: {
        streamName: input,
        format: 'JSON',
        columns: [
          { name: 'DEVICE', type: 'VARCHAR(16)', path: '$.device' },
          { name: 'TEMP', type: 'DOUBLE', path: '$.temp' },
        ],
      },
      sql: 'CREATE STREAM "HOT" (device VARCHAR(16), temp DOUBLE);\nCREATE PUMP "P" AS INSERT INTO "HOT"\n  SELECT STREAM device, temp FROM SOURCE_SQL_STREAM_001 WHERE temp > 80;',
    });
    expect(created.status).toBe(201);
    await rest(sl.endpoint, 'POST', `/v1/analytics/applications/${name}/start`, { startingPosition: 'NOW' });
    await waitApplication(sl.endpoint, name, 'RUNNING', 20_000);

    await page.goto(`${sl.endpoint}/console/analytics`);
    const row = page.locator(`tr[data-application="${name}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('HOT');
    await row.locator('a').click();
    await page.waitForURL(`**/console/analytics/${name}`);

    // The editor saves a new version: the threshold drops from 80 to 50.
    const editor = page.locator('[data-testid="sql"]');
    expect(await editor.inputValue()).toContain('temp > 80');
    await editor.fill((await editor.inputValue()).replace('temp > 80', 'temp > 50'));
    await page.locator('[data-testid="save-sql"]').click();
    await page.locator('.saved', { hasText: 'version 2' }).waitFor();
    const saved = (await rest(sl.endpoint, 'GET', `/v1/analytics/applications/${name}`)).body;
    expect(saved).toEqual(expect.objectContaining({ version: 2, sql: expect.stringContaining('temp > 50') }));
    await waitApplication(sl.endpoint, name, 'RUNNING', 20_000);

    // Rows from version 2 only (60 is above 50, not above 80) reach the live view; a bad record reaches error_stream.
    const hot = page.locator('[data-live-stream="HOT"] tr.row', { hasText: 'sensor-60' });
    const errors = page.locator('[data-live-stream="error_stream"] tr.row');
    await eventually(async () => {
      await putJson(sl.endpoint, input, [{ key: 'a', data: { device: 'sensor-60', temp: 60 } }, { key: 'b', data: { device: 'x', temp: 'hot' } }]);
      await sleep(500);
      return (await hot.count()) > 0 && (await errors.count()) > 0;
    }, 30_000);
    expect(await hot.first().innerText()).toContain('60');
    await screenshot('analytics');
  }, 90_000);
});
