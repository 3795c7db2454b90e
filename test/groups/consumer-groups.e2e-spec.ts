import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { MergeShardsCommand, SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { LeaseLostError, MemberGoneError, type GroupBatch, type LeasedShard, type GroupMemberSession, type GroupView } from '@shardline/streams';
import { createActiveStream, waitActive } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { DeliveryLog, eventually, putNumbered } from '../support/groups';

const HALF = (1n << 127n).toString();
const MEMBER_TTL_MS = 1500;

/**
 * Server-side consumer groups against real NATS and Postgres, records put through the
 * unmodified AWS SDK: shards shared evenly, a member's crash handled (its shards move, nothing
 * skipped, duplicates only past its last checkpoint), per-key order across a split.
 */
describe('consumer groups', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;
  const sessions: GroupMemberSession[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({ groupMemberTtlMs: MEMBER_TTL_MS, groupHeartbeatMs: 250, updateDelayMs: 100 });
    kinesis = kinesisClient(platform.endpoint, 'h2c');
  });
  afterEach(async () => {
    await Promise.all(sessions.splice(0).map((s) => s.stop().catch(() => undefined)));
  });
  afterAll(async () => {
    kinesis.destroy();
    await platform.close();
  });

  const consume = async (stream: string, group: string, handler: (batch: GroupBatch) => Promise<void> | void, autoCheckpoint = true, maxRecords = 1000) => {
    const session = await platform.platform.groupDelivery.consume(stream, group, handler, { memberId: randomName('m'), autoCheckpoint, idleReadMs: 500, maxRecords });
    sessions.push(session);
    return session;
  };
  const describeGroup = (stream: string, group: string) => platform.platform.groups.describe(stream, group);
  const sizes = (view: GroupView) => view.members.map((m) => m.shards.length).sort();

  /** A member that will crash: in this process (abandoned) or in a child process (kill -9). */
  interface Victim {
    memberId: string;
    shardIds(): string[];
    /** Shards it stored its one checkpoint for (it checkpoints only its first batch of each). */
    checkpointed: Set<string>;
    kill(): Promise<void>;
  }

  async function inProcessVictim(StreamName: string, log: DeliveryLog): Promise<Victim> {
    const checkpointed = new Set<string>();
    const session = await consume(StreamName, 'g', async (batch) => {
      log.record(batch);
      if (!checkpointed.has(batch.shardId)) await batch.checkpoint().then(() => checkpointed.add(batch.shardId));
    }, false);
    // As a crash: no leave, no checkpoint, heartbeats stop.
    return { memberId: session.memberId, shardIds: () => session.shardIds, checkpointed, kill: async () => session.abandon() };
  }

  async function childProcessVictim(StreamName: string, log: DeliveryLog): Promise<Victim> {
    const memberId = randomName('child');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', 'support', 'group-member.ts')], {
      cwd: join(__dirname, '..', '..'),
      env: {
        ...process.env,
        DATABASE_URL: platform.config.databaseUrl,
        SHARDLINE_GROUP_MEMBER_TTL_MS: String(MEMBER_TTL_MS),
        SHARDLINE_GROUP_HEARTBEAT_MS: '250',
        GROUP_STREAM: StreamName,
        GROUP_NAME: 'g',
        GROUP_MEMBER: memberId,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const checkpointed = new Set<string>();
    let shards: string[] = [];
    let joined = false;
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const [kind, shardId, seq, data] of lines.map((line) => line.split(' '))) {
        if (kind === 'D') log.push({ member: memberId, shardId: shardId!, sequenceNumber: seq!, data: data! });
        if (kind === 'C') checkpointed.add(shardId!);
        if (kind === 'S') shards = shardId ? shardId.split(',') : [];
        if (kind === 'joined') joined = true;
      }
    });
    try {
      await eventually(() => joined, 20_000, 'child member joined');
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    return {
      memberId,
      shardIds: () => shards,
      checkpointed,
      kill: async () => {
        child.kill('SIGKILL');
        await exited;
      },
    };
  }

  it.each([
    ['in this process (abandoned)', inProcessVictim],
    ['in a child process (kill -9)', childProcessVictim],
  ])('shares 8 shards among three members, one of them %s crashing: its shards move, nothing skipped, duplicates only past its checkpoint', async (_how, makeVictim) => {
    const StreamName = randomName('grp');
    await createActiveStream(kinesis, { StreamName, ShardCount: 8 });
    const log = new DeliveryLog();
    const [a, b] = [await consume(StreamName, 'g', (x) => log.record(x)), await consume(StreamName, 'g', (x) => log.record(x))];
    const victim = await makeVictim(StreamName, log);
    await eventually(async () => sizes(await describeGroup(StreamName, 'g')).join() === '2,3,3', 5000, '3/3/2 spread');
    // Every member delivering exactly its shards (a moved shard's old holder learns at its next heartbeat).
    let view = await describeGroup(StreamName, 'g');
    const members = [
      { memberId: a.memberId, shardIds: () => a.shardIds },
      { memberId: b.memberId, shardIds: () => b.shardIds },
      victim,
    ];
    await eventually(async () => {
      view = await describeGroup(StreamName, 'g');
      return members.every((m) => m.shardIds().join() === [...(view.members.find((v) => v.memberId === m.memberId)?.shards ?? [''])].sort().join());
    }, 5000, 'members delivering their shards');
    expect(view.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId, victim.memberId].sort());
    expect(new Set(view.members.flatMap((m) => m.shards)).size).toBe(8);
    const victimShards = view.members.find((m) => m.memberId === victim.memberId)!.shards;

    const next = new Map<string, number>();
    const round1 = await putNumbered(kinesis, StreamName, 512, 256, next);
    await eventually(() => log.hasAll(round1.map((r) => r.sequenceNumber)) && victimShards.every((s) => victim.checkpointed.has(s)), 10_000, 'round 1');
    const round2 = await putNumbered(kinesis, StreamName, 512, 256, next);
    await eventually(() => log.hasAll(round2.map((r) => r.sequenceNumber)), 10_000, 'round 2');
    await victim.kill();
    const before = await describeGroup(StreamName, 'g');
    const lastCheckpoint = new Map(before.shards.filter((s) => victimShards.includes(s.shardId)).map((s) => [s.shardId, s.checkpoint!]));
    const victimGot = log.deliveries.filter((d) => d.member === victim.memberId);
    const afterCheckpoint = victimGot.filter((d) => d.sequenceNumber > lastCheckpoint.get(d.shardId)!).map((d) => d.sequenceNumber);
    expect(afterCheckpoint.length).toBeGreaterThan(0);

    const moved = await eventually(async () => {
      const now = await describeGroup(StreamName, 'g');
      return now.members.length === 2 && sizes(now).join() === '4,4';
    }, 10_000, 'rebalance after the crash');
    expect(moved).toBeLessThan(10_000);
    const round3 = await putNumbered(kinesis, StreamName, 512, 256, next);
    const redelivered = () => log.deliveries.filter((d) => d.member !== victim.memberId && afterCheckpoint.includes(d.sequenceNumber)).length;
    await eventually(() => log.hasAll(round3.map((r) => r.sequenceNumber)) && redelivered() >= afterCheckpoint.length, 10_000, 'round 3 and redelivery');

    // No record skipped.
    const counts = log.counts();
    for (const r of [...round1, ...round2, ...round3]) expect(counts.has(r.sequenceNumber)).toBe(true);
    // Duplicates only on the victim's shards, past its last checkpoint: exactly what it had got after it.
    const duplicates = [...counts].filter(([, times]) => times > 1).map(([seq]) => seq).sort();
    expect(duplicates).toEqual([...afterCheckpoint].sort());
    // Each key's records first delivered in put order.
    for (const key of next.keys()) {
      const firsts = log.deliveries.filter((d) => d.key === key && counts.get(d.sequenceNumber) === 1).map((d) => d.n);
      expect(firsts).toEqual([...firsts].sort((x, y) => x - y));
    }
    const survivors = await describeGroup(StreamName, 'g');
    expect(survivors.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId].sort());
    await eventually(async () => (await describeGroup(StreamName, 'g')).shards.every((s) => s.lagRecords === 0 && s.lagMillis === 0), 5000, 'lag 0');
  }, 40_000);

  it("keeps per-key order across a split and a merge: a key's records in a parent are all handled before any in a child", async () => {
    const StreamName = randomName('grp');
    await createActiveStream(kinesis, { StreamName, ShardCount: 1 });
    const log = new DeliveryLog();
    // Parents are handled slowly, so a child handed out too early would be read while its parent still is.
    const slowParents = async (batch: GroupBatch) => {
      log.record(batch);
      if (batch.shardId !== 'shardId-000000000003') await new Promise((resolve) => setTimeout(resolve, 100));
    };
    await consume(StreamName, 'g', slowParents, true, 50);
    await consume(StreamName, 'g', slowParents, true, 50);
    await eventually(async () => sizes(await describeGroup(StreamName, 'g')).join() === '0,1' && sessions.every((s) => s.shardIds.length <= 1), 5000, 'parent leased');
    const next = new Map<string, number>();
    const before = await putNumbered(kinesis, StreamName, 400, 16, next);
    await kinesis.send(new SplitShardCommand({ StreamName, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: HALF }));
    await waitActive(kinesis, StreamName);
    const split = await putNumbered(kinesis, StreamName, 400, 16, next);
    expect(new Set(split.map((r) => r.shardId))).toEqual(new Set(['shardId-000000000001', 'shardId-000000000002']));
    await kinesis.send(new MergeShardsCommand({ StreamName, ShardToMerge: 'shardId-000000000001', AdjacentShardToMerge: 'shardId-000000000002' }));
    await waitActive(kinesis, StreamName);
    const merged = await putNumbered(kinesis, StreamName, 400, 16, next);
    expect(new Set(merged.map((r) => r.shardId))).toEqual(new Set(['shardId-000000000003']));
    await eventually(() => log.hasAll([...before, ...split, ...merged].map((r) => r.sequenceNumber)), 15_000, 'all delivered');

    const view = await describeGroup(StreamName, 'g');
    for (const parent of ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']) {
      expect(view.shards.find((s) => s.shardId === parent)).toMatchObject({ status: 'CLOSED', shardEnd: true, owner: undefined });
    }
    expect(view.members.flatMap((m) => m.shards)).toEqual(['shardId-000000000003']);
    for (const key of next.keys()) {
      expect(log.deliveries.filter((d) => d.key === key).map((d) => d.n)).toEqual(Array.from({ length: next.get(key)! }, (_, n) => n));
    }
  }, 40_000);

  it('describes checkpoints and lag, and refuses a checkpoint whose lease moved on', async () => {
    const StreamName = randomName('grp');
    await createActiveStream(kinesis, { StreamName, ShardCount: 2 });
    const groups = platform.platform.groups;
    const first = await groups.join(StreamName, 'lag', 'first');
    const held = await groups.heartbeat(first);
    expect(held.shards.map((s) => s.shardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    const put = await putNumbered(kinesis, StreamName, 40, 8, new Map());
    await new Promise((resolve) => setTimeout(resolve, 20));
    await putNumbered(kinesis, StreamName, 8, 8, new Map());

    const lagging = await describeGroup(StreamName, 'lag');
    expect(lagging.members).toEqual([expect.objectContaining({ memberId: first, shards: ['shardId-000000000000', 'shardId-000000000001'] })]);
    for (const shard of lagging.shards) {
      expect(shard).toMatchObject({ owner: first, status: 'OPEN', checkpoint: undefined, shardEnd: false });
      expect(shard.lagRecords).toBeGreaterThanOrEqual(1);
      expect(shard.lagMillis).toBeGreaterThanOrEqual(20);
    }
    const shard0 = held.shards[0]!;
    const last0 = put.filter((r) => r.shardId === shard0.shardId).at(-1)!;
    await groups.checkpoint(first, shard0.shardId, last0.sequenceNumber, shard0.epoch);
    expect((await describeGroup(StreamName, 'lag')).shards[0]!.checkpoint).toBe(last0.sequenceNumber);

    // A second member takes one shard (after a handoff pause: the first is alive); the first's old epoch on it is refused.
    const second = await groups.join(StreamName, 'lag', 'second');
    expect((await groups.heartbeat(second)).shards).toEqual([]);
    expect((await groups.heartbeat(first)).shards).toHaveLength(1);
    let taken: LeasedShard | undefined;
    await eventually(async () => (taken = (await groups.heartbeat(second)).shards[0]) !== undefined, 5000, 'handoff');
    const stale = held.shards.find((s) => s.shardId === taken!.shardId)!;
    const lastTaken = put.filter((r) => r.shardId === taken!.shardId).at(-1)!.sequenceNumber;
    await expect(groups.checkpoint(first, taken!.shardId, lastTaken, stale.epoch)).rejects.toBeInstanceOf(LeaseLostError);
    await expect(groups.checkpoint(second, taken!.shardId, last0.sequenceNumber.replace(/^(.{12})./, '$1' + '9'), taken!.epoch)).rejects.toThrow(/is not of/);
    await groups.checkpoint(second, taken!.shardId, lastTaken, taken!.epoch);
    expect(taken!.epoch).toBeGreaterThan(stale.epoch);
    await groups.leave(first); // a member leaving: its shards move at once (no handoff pause)
    expect((await groups.heartbeat(second)).shards).toHaveLength(2);
    expect(await groups.list(StreamName)).toEqual([{ groupName: 'lag', createdAt: expect.any(Date) }]);
    await groups.delete(StreamName, 'lag');
    await expect(groups.heartbeat(second)).rejects.toBeInstanceOf(MemberGoneError);
    // The coordinator knows the group from the member's checkpoints; deleted, it is gone for them too.
    await expect(groups.checkpoint(second, taken!.shardId, lastTaken, taken!.epoch)).rejects.toBeInstanceOf(MemberGoneError);
    expect(await groups.list(StreamName)).toEqual([]);
  }, 30_000);
});
