import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { GroupMemberSession } from '@shardline/streams';
import { createActive, rest } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { eventually } from '../support/groups';

const BIN = join(__dirname, '..', '..', 'apps', 'cli', 'bin', 'shardline.js');

describe('shardline groups (CLI)', () => {
  let sl: TestPlatform;
  let session: GroupMemberSession | undefined;

  beforeAll(async () => {
    sl = await startTestPlatform({ groupMemberTtlMs: 1500, groupHeartbeatMs: 250 });
  });
  afterAll(async () => {
    await session?.stop();
    await sl.close();
  });

  function shardline(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, [BIN, '--endpoint', sl.endpoint, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  }

  it('lists groups and describes members, shards, checkpoints and lag as tables or JSON', async () => {
    const stream = randomName('cli-grp');
    await createActive(sl.endpoint, { name: stream, shardCount: 2 });
    const records = Array.from({ length: 50 }, (_, n) => ({ partitionKey: `k${n}`, data: { n } }));
    await rest(sl.endpoint, 'POST', `/v1/streams/${stream}/records`, { records });
    let handled = 0;
    session = await sl.platform.groupDelivery.consume(stream, 'billing', (batch) => void (handled += batch.records.length), { memberId: 'member-1' });
    await eventually(() => handled === 50, 10_000, 'records handled');
    await eventually(async () => (await rest(sl.endpoint, 'GET', `/v1/streams/${stream}/groups/billing`)).body.shards.every((s: { lagRecords: number }) => s.lagRecords === 0), 5000, 'lag 0');

    const [list, listJson, described, describedJson, missing] = await Promise.all([
      shardline('groups', 'list', stream),
      shardline('groups', 'list', stream, '--json'),
      shardline('groups', 'describe', stream, 'billing'),
      shardline('groups', 'describe', stream, 'billing', '--json'),
      shardline('groups', 'describe', stream, 'nobody'),
    ]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^GROUP\s+CREATED\nbilling\s+\d{4}-\d\d-\d\dT/);
    expect(JSON.parse(listJson.stdout)).toEqual({ groups: [{ groupName: 'billing', createdAt: expect.any(String) }] });

    expect(described.code).toBe(0);
    const lines = described.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^group billing of stream ${stream}, created `));
    expect(described.stdout).toMatch(/^MEMBER\s+JOINED\s+LAST HEARTBEAT\s+SHARDS$/m);
    expect(described.stdout).toMatch(/^member-1\s+\S+\s+\S+\s+shardId-000000000000,shardId-000000000001$/m);
    expect(described.stdout).toMatch(/^SHARD\s+STATUS\s+OWNER\s+EPOCH\s+CHECKPOINT\s+LAG RECORDS\s+LAG MS$/m);
    expect(described.stdout).toMatch(/^shardId-000000000000\s+OPEN\s+member-1\s+\d+\s+\d{40}\s+0\s+0$/m);
    expect(described.stdout).toMatch(/^shardId-000000000001\s+OPEN\s+member-1\s+\d+\s+\d{40}\s+0\s+0$/m);
    const view = JSON.parse(describedJson.stdout);
    expect(view.members.map((m: { memberId: string }) => m.memberId)).toEqual(['member-1']);
    expect(view.shards).toHaveLength(2);

    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: The resource does not exist: Consumer group nobody/);
  }, 20_000);
});
