import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { connect, createInbox, type NatsConnection, type Subscription } from 'nats';
import { groupSubjectPrefix } from '@shardline/streams';
import { createActiveStream } from '../support/kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { DeliveryLog, eventually, putNumbered } from '../support/groups';

interface JoinAnswer {
  memberId: string;
  inbox: string;
  heartbeatSubject: string;
  leaveSubject: string;
  shards: Array<{ shardId: string; epoch: number }>;
  error?: { type: string; message: string };
}

/**
 * A member of a consumer group over NATS only, as a client in another language would be:
 * requests to join, heartbeat and leave, batches answered on its own inbox.
 */
class NatsMember {
  shards: string[] = [];
  private inbox?: Subscription;
  private beating?: NodeJS.Timeout;
  joined!: JoinAnswer;

  constructor(
    private readonly nc: NatsConnection,
    private readonly log: DeliveryLog,
    private readonly root: string,
  ) {}

  async join(stream: string, group: string): Promise<this> {
    const inbox = createInbox();
    this.inbox = this.nc.subscribe(inbox, {
      callback: (_err, msg) => {
        const batch = JSON.parse(msg.string()) as { shardId: string; epoch: number; records: Array<{ sequenceNumber: string; data: string }> };
        for (const r of batch.records) {
          this.log.push({ member: this.joined.memberId, shardId: batch.shardId, sequenceNumber: r.sequenceNumber, data: Buffer.from(r.data, 'base64').toString() });
        }
        msg.respond('{}');
      },
    });
    this.joined = JSON.parse((await this.nc.request(`${this.root}.${stream}.${group}.join`, JSON.stringify({ inbox }))).string()) as JoinAnswer;
    expect(this.joined.error).toBeUndefined();
    this.beating = setInterval(() => void this.beat(), 250);
    return this;
  }

  private async beat(): Promise<void> {
    const answer = JSON.parse((await this.nc.request(this.joined.heartbeatSubject, '{}').catch(() => undefined))?.string() ?? '{}') as { shards?: Array<{ shardId: string }> };
    if (answer.shards) this.shards = answer.shards.map((s) => s.shardId).sort();
  }

  /** Stops heartbeating and answering, as a crashed client. */
  crash(): void {
    clearInterval(this.beating);
    this.inbox?.unsubscribe();
  }

  async leave(): Promise<void> {
    clearInterval(this.beating);
    await this.nc.request(this.joined.leaveSubject, '{}');
    this.inbox?.unsubscribe();
  }
}

describe('consumer groups over NATS', () => {
  let platform: TestPlatform;
  let kinesis: KinesisClient;
  let nc: NatsConnection;
  /** This platform's subjects: test platforms share the NATS server, each under its own API prefix. */
  let root: string;

  beforeAll(async () => {
    platform = await startTestPlatform({ groupMemberTtlMs: 1500, groupHeartbeatMs: 250 });
    kinesis = kinesisClient(platform.endpoint, 'h2c');
    nc = await connect({ servers: platform.config.natsUrl });
    root = groupSubjectPrefix(platform.config.natsApiPrefix);
  });
  afterAll(async () => {
    await nc.drain();
    kinesis.destroy();
    await platform.close();
  });

  const request = async (subject: string, body: object) => JSON.parse((await nc.request(subject, JSON.stringify(body))).string()) as Record<string, unknown>;

  it('shares shards between NATS members, pushes records to their inboxes, and moves a silent member\'s shards', async () => {
    const StreamName = randomName('grpn');
    await createActiveStream(kinesis, { StreamName, ShardCount: 4 });
    const log = new DeliveryLog();
    const a = await new NatsMember(nc, log, root).join(StreamName, 'g');
    const b = await new NatsMember(nc, log, root).join(StreamName, 'g');
    await eventually(() => a.shards.length === 2 && b.shards.length === 2, 5000, '2/2 spread');

    const next = new Map<string, number>();
    const first = await putNumbered(kinesis, StreamName, 200, 32, next);
    await eventually(() => log.hasAll(first.map((r) => r.sequenceNumber)), 10_000, 'first records');
    const described = await request(`${root}.${StreamName}.g.describe`, {});
    expect((described.members as Array<{ memberId: string }>).map((m) => m.memberId).sort()).toEqual([a.joined.memberId, b.joined.memberId].sort());
    await eventually(async () => {
      const view = await request(`${root}.${StreamName}.g.describe`, {});
      return (view.shards as Array<{ lagRecords: number }>).every((s) => s.lagRecords === 0);
    }, 5000, 'checkpointed');

    b.crash();
    await eventually(() => a.shards.length === 4, 10_000, "b's shards moved to a");
    const second = await putNumbered(kinesis, StreamName, 200, 32, next);
    await eventually(() => log.hasAll(second.map((r) => r.sequenceNumber)), 10_000, 'second records');
    expect(log.deliveries.filter((d) => second.some((r) => r.sequenceNumber === d.sequenceNumber)).every((d) => d.member === a.joined.memberId)).toBe(true);
    await a.leave();
    const after = await request(`${root}.${StreamName}.g.describe`, {});
    expect(after.members).toEqual([]);
  }, 30_000);

  it('answers errors as {error: {type, message}}', async () => {
    const answer = await request(`${root}.${randomName('missing')}.g.join`, {});
    expect(answer.error).toEqual({ type: 'ResourceNotFoundException', message: expect.stringContaining('not found') });
    const stale = await request(`${root}.whatever.g.checkpoint`, { memberId: 'nobody', shardId: 'shardId-000000000000', sequenceNumber: '1', epoch: 1 });
    expect(stale.error).toMatchObject({ type: 'ResourceNotFoundException' });
  });
});
