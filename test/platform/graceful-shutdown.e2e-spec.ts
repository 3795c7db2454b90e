/**
 * SIGTERM, as `docker stop` sends it, under a steady PutRecords load through the AWS SDK,
 * against the topology as separate processes (gateway and two shards processes):
 *  - a shards process drains its actors' mailboxes, releases its leases and exits 0; the other
 *    shards process takes its shards over in far less than the lease time-to-live (leases that
 *    were merely left to expire would take the whole TTL), and every acknowledged record is read back;
 *  - the gateway stops accepting connections at once, finishes the requests in flight (a request
 *    whose body is still arriving when the signal lands is answered, and no SDK caller's request
 *    is reset) and exits 0; every record it acknowledged is read back through another gateway;
 *  - the firehose and analytics apps close their runners and exit 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as http1Request } from 'node:http';
import { CreateStreamCommand, PutRecordsCommand, waitUntilStreamExists, type KinesisClient } from '@aws-sdk/client-kinesis';
import { Client } from 'pg';
import type { Topology, TopologyProcess } from '../../tools/topology';
import { removeShardStorage } from '../support/cleanup';
import { dropDatabase, scratchDatabaseUrl } from '../support/database';
import { readShard } from '../support/kinesis';
import { kinesisClient } from '../support/platform';
import { freePort, startApp, type AppProcess } from '../support/processes';
import { randomName } from '../support/random-name';
import { startTestTopology, topologyOutput, waitForLeaseOwners } from '../support/topology';

const SHARDS = 4;
/** Long on purpose: a shards process that left its leases to expire would hand its shards over only after this. */
const LEASE_TTL_MS = 15_000;
/** Long too: the survivor must place the released shards on the leaver's notice, not on its next tick. */
const LEASE_TICK_MS = 5_000;
/** How long a process may take from SIGTERM to its exit. */
const EXIT_LIMIT_MS = 10_000;

describe('graceful shutdown on SIGTERM', () => {
  const databaseUrl = scratchDatabaseUrl(randomName('sl_shutdown'));
  const env = {
    SHARDLINE_LEASE_TTL_MS: String(LEASE_TTL_MS),
    SHARDLINE_LEASE_TICK_MS: String(LEASE_TICK_MS),
    SHARDLINE_NATS_API_PREFIX: randomName('sl'),
  };
  let topology: Topology;
  let kinesis: KinesisClient;
  let spare: AppProcess | undefined;

  beforeAll(async () => {
    topology = await startTestTopology({ databaseUrl, apps: ['gateway', 'shards'], shards: 2, env });
    kinesis = kinesisClient(topology.endpoint, 'h2c');
  }, 120_000);

  afterAll(async () => {
    kinesis?.destroy();
    await spare?.kill('SIGKILL');
    await topology?.stop(5_000);
    await removeShardStorage(databaseUrl).catch(() => undefined);
    await dropDatabase(databaseUrl);
  });

  it('a shards process drains, releases its leases at once, exits 0 and loses no acknowledged record', async () => {
    const StreamName = await createStream(kinesis);
    expect(await waitForLeaseOwners(databaseUrl, 2)).toBe(2);
    const victim = topology.byName('shards-1');
    const load = steadyLoad(kinesis, StreamName, 4);

    await load.until(() => load.acked.size >= 500, 30_000);
    const signalledAt = Date.now();
    const exit = exitOf(victim);
    victim.child.kill('SIGTERM');
    const exited = await exit;
    const exitMs = Date.now() - signalledAt;
    const takeoverMs = (await waitForSingleOwner(databaseUrl, SHARDS, 30_000)) - signalledAt;
    const ackedAtTakeover = load.acked.size;
    await load.until(() => load.acked.size >= ackedAtTakeover + 500, 30_000);
    await load.stop();

    const report = `exit ${JSON.stringify(exited)} after ${exitMs} ms, shards taken over after ${takeoverMs} ms\n${topologyOutput(topology).slice(-4000)}`;
    console.log(`shards SIGTERM: exit after ${exitMs} ms, takeover after ${takeoverMs} ms (lease TTL ${LEASE_TTL_MS} ms); ${load.acked.size} records acked, ${load.failures.length} failed (retried by callers): ${[...new Set(load.failures)].join('; ')}`);
    expect({ exited, report }).toEqual({ exited: { code: 0, signal: null }, report });
    expect(exitMs).toBeLessThan(EXIT_LIMIT_MS);
    // Expired leases would take the TTL, released ones without a notice up to a tick.
    expect(takeoverMs).toBeLessThan(LEASE_TICK_MS / 2);
    expect(await missingRecords(kinesis, StreamName, load.acked)).toEqual([]);
  }, 150_000);

  it('the gateway refuses new connections, finishes the requests in flight, exits 0 and loses no acknowledged record', async () => {
    const gateway = topology.byName('gateway');
    const StreamName = await createStream(kinesis);
    // A second gateway on the same NATS and Postgres reads the records back once the first is gone.
    const sparePort = await freePort();
    spare = await startApp('gateway', { ...env, DATABASE_URL: databaseUrl, PORT: String(sparePort) }, /gateway listening/);
    const load = steadyLoad(kinesis, StreamName, 4);
    await load.until(() => load.acked.size >= 500, 30_000);

    // A request in flight when the signal lands: the gateway has taken its headers (it said 100 Continue), its body is still to come.
    const slow = slowPutRecord(gateway.port, StreamName, 'in-flight');
    await slow.accepted;
    const signalledAt = Date.now();
    const exit = exitOf(gateway);
    gateway.child.kill('SIGTERM');
    const refusedAfterMs = (await waitRefused(gateway.port, 10_000)) - signalledAt;
    slow.finish();
    const answer = await slow.answer;
    const exited = await exit;
    const exitMs = Date.now() - signalledAt;
    await load.stop();

    console.log(`gateway SIGTERM: new connections refused after ${refusedAfterMs} ms, exit after ${exitMs} ms; in-flight request answered ${answer.status}; ${load.acked.size} records acked; the callers' failures: ${[...new Set(load.failures)].join('; ')}`);
    expect(answer.status).toBe(200);
    const sequenceNumber = (JSON.parse(answer.body) as { SequenceNumber: string }).SequenceNumber;
    expect(exited).toEqual({ code: 0, signal: null });
    expect(exitMs).toBeLessThan(EXIT_LIMIT_MS);
    expect(refusedAfterMs).toBeLessThan(5_000);
    // The SDK callers' requests after the signal are refused (a new connection, or a GOAWAY); none is cut off mid-way.
    expect(load.failures.filter((why) => /ECONNRESET|socket hang up|EPIPE/i.test(why))).toEqual([]);

    const reader = kinesisClient(`http://127.0.0.1:${sparePort}`, 'http1');
    try {
      const acked = new Map([...load.acked, [sequenceNumber, 'in-flight']]);
      expect(await missingRecords(reader, StreamName, acked)).toEqual([]);
    } finally {
      reader.destroy();
    }
  }, 150_000);

  it.each(['firehose', 'analytics'])('the %s app drains and exits 0', async (app) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shardline-shutdown-'));
    try {
      const started = await startApp(app, { ...env, DATABASE_URL: databaseUrl, SHARDLINE_METRICS_PORT: String(await freePort()), SHARDLINE_DATA_DIR: dataDir }, /process \d+ started/);
      const signalledAt = Date.now();
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => started.child.once('exit', (code, signal) => resolve({ code, signal })));
      started.child.kill('SIGTERM');
      const exited = await exit;
      expect({ exited, output: started.output() }).toEqual({ exited: { code: 0, signal: null }, output: expect.stringMatching(/"msg":"stopped"/) });
      expect(Date.now() - signalledAt).toBeLessThan(EXIT_LIMIT_MS);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});

async function createStream(kinesis: KinesisClient): Promise<string> {
  const StreamName = randomName('shutdown');
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: SHARDS }));
  await waitUntilStreamExists({ client: kinesis, maxWaitTime: 30, minDelay: 1 }, { StreamName });
  return StreamName;
}

/** `workers` callers putting batches of 20 records as fast as they can; what was acknowledged, by sequence number. */
function steadyLoad(kinesis: KinesisClient, StreamName: string, workers: number) {
  const acked = new Map<string, string>();
  const failures: string[] = [];
  let stopped = false;
  let n = 0;
  const worker = async () => {
    while (!stopped) {
      const records = Array.from({ length: 20 }, () => ({ PartitionKey: `k${n % 97}`, Data: Buffer.from(`r${n++}`) }));
      try {
        const answer = await kinesis.send(new PutRecordsCommand({ StreamName, Records: records }));
        answer.Records!.forEach((r, i) => {
          if (r.SequenceNumber) acked.set(r.SequenceNumber, Buffer.from(records[i]!.Data).toString());
          else failures.push(`${r.ErrorCode}: ${r.ErrorMessage}`);
        });
      } catch (err) {
        failures.push(String(err));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  const running = Promise.all(Array.from({ length: workers }, worker));
  return {
    acked,
    failures,
    async until(done: () => boolean, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`load stalled at ${acked.size} records: ${failures.slice(-5).join('; ')}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}

function exitOf(p: TopologyProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => p.child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Polls until every shard of the database has a live lease, all held by one owner; answers when. */
async function waitForSingleOwner(databaseUrl: string, shards: number, timeoutMs: number): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ owners: number; leases: number }>(
        'SELECT count(DISTINCT owner)::int AS owners, count(*)::int AS leases FROM shard_leases WHERE expires_at > now()',
      );
      if (rows[0]!.owners === 1 && rows[0]!.leases === shards) return Date.now();
      if (Date.now() > deadline) throw new Error(`shards not taken over after ${timeoutMs} ms: ${JSON.stringify(rows[0])}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
}

/** The acknowledged records that cannot be read back (or read back different). */
async function missingRecords(kinesis: KinesisClient, StreamName: string, acked: Map<string, string>): Promise<string[]> {
  const read = new Map<string, string>();
  for (let shard = 0; shard < SHARDS; shard++) {
    for (const r of await readShard(kinesis, StreamName, `shardId-00000000000${shard}`)) read.set(r.SequenceNumber!, Buffer.from(r.Data!).toString());
  }
  return [...acked].filter(([seq, data]) => read.get(seq) !== data).map(([seq, data]) => `${seq}: ${data}`);
}

/**
 * A PutRecord over HTTP/1.1 that sends `Expect: 100-continue` and holds its body back until
 * `finish()`: `accepted` resolves when the server has parsed the headers and taken the request
 * (Node's server answers 100 Continue just before handing the request on).
 */
function slowPutRecord(port: number, StreamName: string, data: string) {
  const body = Buffer.from(JSON.stringify({ StreamName, PartitionKey: 'slow', Data: Buffer.from(data).toString('base64') }));
  const req = http1Request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/',
    agent: false,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Kinesis_20131202.PutRecord',
      'content-length': body.length,
      expect: '100-continue',
    },
  });
  const accepted = new Promise<void>((resolve) => req.once('continue', () => resolve()));
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  answer.catch(() => undefined); // awaited later: a reset before then is reported there, not as an unhandled rejection
  req.flushHeaders();
  return { accepted, answer, finish: () => req.end(body) };
}

/** Polls until a new TCP connection to the port is refused; answers when. */
async function waitRefused(port: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
    });
    if (refused) return Date.now();
    if (Date.now() > deadline) throw new Error(`port ${port} still accepts connections ${timeoutMs} ms after SIGTERM`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
