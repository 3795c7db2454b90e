import { request, type ClientRequest } from 'node:http';
import { SseParser } from '@shardline/client';
import { createActive, rest, type Json } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { eventually } from '../support/groups';

const PROBLEMS = 'https://shardline.dev/problems/';

/** A group member speaking plain HTTP, as curl would: join, read batches over SSE, checkpoint each, leave. */
class RestMember {
  joined!: Json;
  shards: string[] = [];
  readonly records: Array<{ shardId: string; sequenceNumber: string; data: unknown }> = [];
  acks: Json[] = [];
  private connection?: ClientRequest;

  constructor(private readonly endpoint: string) {}

  async join(stream: string, group: string, body?: object): Promise<this> {
    const answer = await rest(this.endpoint, 'POST', `/v1/streams/${stream}/groups/${group}/members`, body);
    expect(answer.status).toBe(201);
    this.joined = answer.body;
    return this;
  }

  /** Opens the records connection; every batch is checkpointed at its lastSequenceNumber once logged. */
  listen(): Promise<void> {
    const parser = new SseParser();
    return new Promise((resolve, reject) => {
      this.connection = request(this.endpoint + this.joined.links.records, { headers: { accept: 'text/event-stream' } }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/event-stream');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const event of parser.feed(chunk)) void this.onEvent(event.event, JSON.parse(event.data));
        });
        res.on('error', () => undefined);
        resolve();
      });
      this.connection.on('error', reject);
      this.connection.end();
    });
  }

  private async onEvent(kind: string, data: Json): Promise<void> {
    if (kind === 'assignment') this.shards = data.shards.map((s: Json) => s.shardId).sort();
    if (kind !== 'batch') return;
    for (const r of data.records) this.records.push({ shardId: data.shardId, sequenceNumber: r.sequenceNumber, data: r.data });
    const ack = await rest(this.endpoint, 'POST', this.joined.links.checkpoints, { shardId: data.shardId, sequenceNumber: data.lastSequenceNumber, epoch: data.epoch });
    this.acks.push(ack);
  }

  close(): void {
    this.connection?.destroy();
  }

  async leave(): Promise<number> {
    this.close();
    return (await rest(this.endpoint, 'DELETE', this.joined.links.self)).status;
  }
}

describe('consumer groups over REST', () => {
  let sl: TestPlatform;
  const members: RestMember[] = [];

  beforeAll(async () => {
    sl = await startTestPlatform({ groupMemberTtlMs: 1500, groupHeartbeatMs: 250 });
  });
  afterAll(async () => {
    members.forEach((m) => m.close());
    await sl.close();
  });

  const member = () => {
    const m = new RestMember(sl.endpoint);
    members.push(m);
    return m;
  };

  async function put(stream: string, from: number, count: number): Promise<string[]> {
    const records = Array.from({ length: count }, (_, i) => ({ partitionKey: `key-${(from + i) % 16}`, data: { n: from + i } }));
    const answer = await rest(sl.endpoint, 'POST', `/v1/streams/${stream}/records`, { records });
    expect(answer.body.failedRecordCount).toBe(0);
    return answer.body.records.map((r: Json) => r.sequenceNumber);
  }

  function expectProblem(answer: { status: number; contentType: string; body: Json }, status: number, type: string): void {
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.body).toEqual(expect.objectContaining({ type: PROBLEMS + type, status, detail: expect.any(String) }));
    expect(answer.status).toBe(status);
  }

  it('joins, streams batches over SSE, checkpoints them, shares shards with a second member, and leaves', async () => {
    const stream = randomName('grpr');
    await createActive(sl.endpoint, { name: stream, shardCount: 4 });
    const a = await member().join(stream, 'billing');
    expect(a.joined).toEqual(
      expect.objectContaining({
        memberId: expect.any(String),
        streamName: stream,
        groupName: 'billing',
        heartbeatMs: 250,
        memberTtlMs: 1500,
        links: expect.objectContaining({ records: `/v1/streams/${stream}/groups/billing/members/${a.joined.memberId}/records` }),
      }),
    );
    expect(a.joined.shards).toHaveLength(4);
    await a.listen();
    const first = await put(stream, 0, 200);
    await eventually(() => first.every((s) => a.records.some((r) => r.sequenceNumber === s)), 10_000, 'first records');
    expect(a.records.find((r) => r.sequenceNumber === first[0])?.data).toEqual({ n: 0 });
    await eventually(() => a.acks.length > 0 && a.acks.every((ack) => ack.status === 200), 5000, 'acks');
    expect(a.acks[0].body).toEqual(expect.objectContaining({ acknowledged: true, epoch: expect.any(Number) }));
    await eventually(async () => {
      const view = await rest(sl.endpoint, 'GET', `/v1/streams/${stream}/groups/billing`);
      return view.body.shards.every((s: Json) => s.lagRecords === 0 && s.owner === a.joined.memberId);
    }, 5000, 'checkpointed');

    const b = await member().join(stream, 'billing');
    await b.listen();
    await eventually(() => a.shards.length === 2 && b.shards.length === 2, 8000, '2/2 spread');
    const second = await put(stream, 200, 200);
    const seen = () => [...a.records, ...b.records].map((r) => r.sequenceNumber);
    await eventually(() => second.every((s) => seen().includes(s)), 10_000, 'second records');
    expect(b.records.length).toBeGreaterThan(0);

    const heartbeat = await rest(sl.endpoint, 'POST', b.joined.links.heartbeat);
    expect(heartbeat.body).toEqual({ memberId: b.joined.memberId, shards: expect.any(Array) });
    expect(await a.leave()).toBe(200);
    expectProblem(await rest(sl.endpoint, 'POST', a.joined.links.heartbeat), 404, 'resource-not-found');
    await eventually(() => b.shards.length === 4, 8000, "a's shards moved to b");
    const third = await put(stream, 400, 100);
    await eventually(() => third.every((s) => b.records.some((r) => r.sequenceNumber === s)), 10_000, 'third records');
    // b's last checkpoints are on their way: its lag reaches 0 while it is still a member.
    await eventually(async () => {
      const view = await rest(sl.endpoint, 'GET', `/v1/streams/${stream}/groups/billing`);
      return view.body.shards.every((s: Json) => s.lagRecords === 0 && s.owner === b.joined.memberId);
    }, 5000, 'b checkpointed');
    expect(await b.leave()).toBe(200);
    const after = await rest(sl.endpoint, 'GET', `/v1/streams/${stream}/groups/billing`);
    expect(after.body.members).toEqual([]);
    expect(after.body.shards.every((s: Json) => s.lagRecords === 0)).toBe(true);
  }, 30_000);

  it('answers 404 problems for members not hosted here and 400 problems for bad input', async () => {
    const stream = randomName('grpr');
    await createActive(sl.endpoint, { name: stream, shardCount: 1 });
    const base = `/v1/streams/${stream}/groups/g/members`;
    expectProblem(await rest(sl.endpoint, 'POST', `${base}/nobody/heartbeat`), 404, 'resource-not-found');
    expectProblem(await rest(sl.endpoint, 'POST', `${base}/nobody/checkpoints`, { shardId: 'shardId-000000000000', sequenceNumber: '1', epoch: 1 }), 404, 'resource-not-found');
    expectProblem(await rest(sl.endpoint, 'DELETE', `${base}/nobody`), 404, 'resource-not-found');
    expectProblem(await rest(sl.endpoint, 'GET', `${base}/nobody/records`), 404, 'resource-not-found');
    expectProblem(await rest(sl.endpoint, 'POST', `/v1/streams/${randomName('missing')}/groups/g/members`), 404, 'resource-not-found');

    const m = await member().join(stream, 'g', { memberId: 'worker-1' });
    expect(m.joined.memberId).toBe('worker-1');
    const bad = await rest(sl.endpoint, 'POST', `${base}/worker-1/checkpoints`, { shardId: 'shard-0', sequenceNumber: 'x' });
    expectProblem(bad, 400, 'validation-error');
    expect(bad.body.errors.map((e: Json) => e.path).sort()).toEqual(['body.epoch', 'body.sequenceNumber', 'body.shardId']);
    expectProblem(await rest(sl.endpoint, 'POST', `/v1/streams/${stream}/groups/bad%20group/members`), 400, 'validation-error');
    expectProblem(await rest(sl.endpoint, 'POST', `${base}`, { memberId: 'has.dot' }), 400, 'validation-error');
    // Another group's path does not reach this member.
    expectProblem(await rest(sl.endpoint, 'POST', `/v1/streams/${stream}/groups/other/members/worker-1/heartbeat`), 404, 'resource-not-found');
    const [sequenceNumber] = await put(stream, 0, 1);
    const stale = await rest(sl.endpoint, 'POST', `${base}/worker-1/checkpoints`, { shardId: 'shardId-000000000000', sequenceNumber, epoch: 999 });
    expectProblem(stale, 409, 'resource-in-use');
    expect(await m.leave()).toBe(200);
  });
});
