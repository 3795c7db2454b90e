import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const BIN = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'shardline.js');
const LINES = 100_000;
const KEYS = 100;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('shardline CLI', () => {
  let sl: TestPlatform;
  let dir: string;

  beforeAll(async () => {
    sl = await startTestPlatform();
    dir = mkdtempSync(join(tmpdir(), 'shardline-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await sl.close();
  });

  /** The CLI as its own process (as `npx shardline` runs it) against this platform. */
  function shardline(...args: string[]): Promise<Run> {
    const child = spawn(process.execPath, [BIN, '--endpoint', sl.endpoint, '--nats', sl.config.natsUrl, '--prefix', sl.config.natsApiPrefix, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr })));
  }

  it('creates, lists, describes and deletes streams; problems exit 1 on stderr', async () => {
    const name = randomName('cli');
    const created = await shardline('streams', 'create', name, '--shards', '2', '--tag', 'team=a');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toEqual(expect.objectContaining({ name, status: 'ACTIVE', tags: { team: 'a' }, openShardCount: 2 }));
    const list = await shardline('streams', 'list');
    expect(list.stdout).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}\\s+ACTIVE\\s+PROVISIONED\\s+2$`, 'm'));
    expect(JSON.parse((await shardline('streams', 'describe', name)).stdout).shards).toHaveLength(2);
    expect(JSON.parse((await shardline('streams', 'delete', name)).stdout)).toEqual({ name, status: 'DELETING' });
    const missing = await shardline('streams', 'describe', 'no-such-stream');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: The resource does not exist: Stream no-such-stream/);
  });

  it(`round-trips ${LINES} lines from a file into a stream and back out through tail`, async () => {
    const name = randomName('cli-rt');
    expect((await shardline('streams', 'create', name, '--shards', '4')).code).toBe(0);
    const perKey = new Array<number>(KEYS).fill(0);
    const lines = Array.from({ length: LINES }, (_, i) => JSON.stringify({ k: `key-${i % KEYS}`, n: perKey[i % KEYS]++, pad: 'x'.repeat(i % 40) }));
    const file = join(dir, 'records.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);

    let t = Date.now();
    const put = await shardline('put', name, file, '--key-field', 'k');
    const putMs = Date.now() - t;
    t = Date.now();
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    expect(put.stdout).toMatch(new RegExp(`^${LINES} records in [\\d.]+ s \\(\\d+ records/s\\)\\n$`));

    const tail = await shardline('tail', name, '--from', 'TRIM_HORIZON', '--count', String(LINES), '--raw');
    const tailMs = Date.now() - t;
    expect(tail.code).toBe(0);
    const read = tail.stdout.split('\n').slice(0, -1);
    expect(read).toHaveLength(LINES);
    expect([...read].sort()).toEqual([...lines].sort());
    const last = new Map<string, number>();
    for (const line of read) {
      const { k, n } = JSON.parse(line) as { k: string; n: number };
      expect(n).toBe((last.get(k) ?? -1) + 1); // every key's records in put order
      last.set(k, n);
    }
    process.stdout.write(`CLI round trip: put ${putMs} ms (${put.stdout.trim()}), tail ${tailMs} ms\n`);
  }, 180_000);
});
