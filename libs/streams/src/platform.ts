import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from 'nats';
import type { DataSource } from 'typeorm';
import { ShardIteratorCodec } from '@shardline/protocol';
import type { Stream } from '@shardline/protocol';
import { ConsumerRepository, GroupRepository, LeaseRepository, ResourcePolicyRepository, StreamRepository, openMetadata } from '@shardline/metadata';
import { METADATA_CHANGED_SUBJECT, ShardStore, connectNats, messageLimit } from '@shardline/messaging';
import { Gauge, Registry } from 'prom-client';
import { KinesisMetrics } from '@shardline/telemetry';
import { ActorRefs } from './actor/actor-refs';
import { LocalActors } from './actor/local-actors';
import type { PlatformConfig } from './config';
import { Autoscaler } from './control/autoscaler';
import { ConsumerService } from './control/consumer-service';
import { Resharder } from './control/resharder';
import { StreamService } from './control/stream-service';
import { RecordProducer } from './data/record-producer';
import { ShardReader } from './data/shard-reader';
import { StreamDirectory } from './data/stream-directory';
import { AppendNotices } from './fanout/append-notices';
import { FanOut } from './fanout/fan-out';
import { GroupCoordinator } from './groups/group-coordinator';
import { GroupDelivery } from './groups/group-delivery';
import { GroupNatsService, groupSubjectPrefix } from './groups/group-nats';
import { HostedMembers } from './groups/hosted-members';
import { ShardlineKinesisBackend } from './kinesis-backend';
import { ShardSupervisor } from './placement/shard-supervisor';
import { DataKeys, KeyStore } from './encryption/key-store';
import { ReadThrottle } from './limits/read-throttle';
import type { RateLimit } from './limits/rate-window';

/** Which parts of Shardline a process runs. */
export interface PlatformRoles {
  gateway: boolean;
  shards: boolean;
  /** The clock of iterators and arrival times; tests move it to expire iterators. */
  clock?: () => number;
}

/**
 * Everything a Shardline process holds, built from configuration in plain TypeScript so
 * tests, benchmarks and the Nest apps assemble it the same way. A process running both
 * roles shares one LocalActors, so the gateway reaches its own actors without NATS.
 */
export class Platform {
  readonly local = new LocalActors();
  /** This process's metrics, served on `/metrics` (the gateway's, or the shards and firehose apps' own server). */
  readonly registry = new Registry();
  readonly kinesisMetrics = new KinesisMetrics(this.registry);
  readonly repository: StreamRepository;
  readonly streams: StreamService;
  readonly directory: StreamDirectory;
  readonly backend: ShardlineKinesisBackend;
  readonly resharder: Resharder;
  /** Append notices for enhanced fan-out: local actors publish, subscriptions watch. */
  readonly notices: AppendNotices;
  readonly consumers: ConsumerService;
  readonly fanOut: FanOut;
  /** Reads shards by position (GetRecords, the native REST reads and tails). */
  readonly reader: ShardReader;
  /** Server-side consumer groups: membership, shard leases and checkpoints in Postgres. */
  readonly groups: GroupCoordinator;
  /** Pushes a group member's leased shards to a handler (transports wrap it). */
  readonly groupDelivery: GroupDelivery;
  /** Sessions of members that joined over NATS or REST through this process (gateway role). */
  readonly hostedMembers: HostedMembers;
  /** Opens sealed record batches of encrypted streams (readers outside the platform: Firehose sources). */
  readonly dataKeys: DataKeys;
  /** Consumer groups over NATS request/reply (gateway role). */
  groupNats?: GroupNatsService;
  supervisor?: ShardSupervisor;
  private changes?: Subscription;

  private constructor(
    readonly config: PlatformConfig,
    readonly nc: NatsConnection,
    readonly dataSource: DataSource,
    readonly store: ShardStore,
    /** The platform's clock (iterators, arrival times, signature age); tests move it. */
    readonly clock: () => number,
  ) {
    const local = this.local;
    new Gauge({
      name: 'shardline_owned_shards',
      help: 'Shards whose actor runs in this process (their placement leases are held here).',
      registers: [this.registry],
      collect(this: Gauge) {
        this.set(local.all().length);
      },
    });
    this.repository = new StreamRepository(dataSource, () => new Date());
    this.directory = new StreamDirectory(this.repository, config.accountId);
    const keys = KeyStore.fromJson(config.kmsKeys, config.region, config.accountId);
    const dataKeys = new DataKeys(keys);
    this.dataKeys = dataKeys;
    this.streams = new StreamService(this.repository, store, config, (id) => this.announce(id), Date.now, keys);
    const actors = new ActorRefs(this.local, nc, messageLimit(nc));
    const producer = new RecordProducer(this.directory, actors, messageLimit(nc), { accountId: config.accountId, dataKeys, metrics: this.kinesisMetrics });
    this.resharder = new Resharder(this.repository, store, actors, config, (id) => this.announce(id));
    const limits = config.shardLimits;
    const reader = new ShardReader(
      store,
      (shard) => this.local.get(shard)?.lastSequence,
      dataKeys.forReading,
      (shard, seq) => this.local.get(shard)?.recent(seq),
    );
    this.reader = reader;
    const consumerRepository = new ConsumerRepository(dataSource);
    this.notices = new AppendNotices(nc);
    this.consumers = new ConsumerService(consumerRepository, this.repository, config);
    this.fanOut = new FanOut({ consumers: consumerRepository, directory: this.directory, reader, store, notices: this.notices, config, metrics: this.kinesisMetrics });
    this.groups = new GroupCoordinator(new GroupRepository(dataSource), this.directory, store, reader, {
      memberTtlMs: config.groupMemberTtlMs,
      heartbeatMs: config.groupHeartbeatMs,
    });
    this.groupDelivery = new GroupDelivery(this.groups, { directory: this.directory, reader, notices: this.notices });
    this.hostedMembers = new HostedMembers(this.groups, this.groupDelivery);
    this.backend = new ShardlineKinesisBackend({
      repository: this.repository,
      policies: new ResourcePolicyRepository(dataSource),
      streams: this.streams,
      resharder: this.resharder,
      directory: this.directory,
      producer,
      reader,
      store,
      iterators: new ShardIteratorCodec(config.iteratorSecret, clock),
      consumers: this.consumers,
      fanOut: this.fanOut,
      accountId: config.accountId,
      now: clock,
      metrics: this.kinesisMetrics,
      readThrottle: limits.enabled
        ? new ReadThrottle({ callsPerSecond: limits.readCallsPerSecond, bytesPerSecond: limits.readBytesPerSecond })
        : undefined,
    });
  }

  /**
   * The write limit of a shard's actor: AWS's per-shard limits for PROVISIONED streams.
   * ON_DEMAND streams are not throttled per shard: AWS absorbs up to double an on-demand
   * stream's previous peak at once and adds shards behind it, while Shardline's autoscaler
   * splits a shard only after it stayed hot for a while, so throttling in between would
   * refuse writes AWS takes. Actors follow a mode change on the stream's change notice.
   */
  private writeLimit(stream: Stream): RateLimit | undefined {
    const limits = this.config.shardLimits;
    if (!limits.enabled || stream.mode !== 'PROVISIONED') return undefined;
    return { count: this.config.shardWriteRecordsPerSecond, bytes: this.config.shardWriteBytesPerSecond };
  }

  static async open(config: PlatformConfig, roles: PlatformRoles): Promise<Platform> {
    const dataSource = await openMetadata(config.databaseUrl);
    const nc = await connectNats(config.natsUrl, `shardline-${roles.gateway ? 'gateway' : 'shards'}-${process.pid}`);
    const platform = new Platform(config, nc, dataSource, await ShardStore.open(nc, config.replicas), roles.clock ?? Date.now);
    platform.changes = nc.subscribe(METADATA_CHANGED_SUBJECT, {
      callback: (_err, msg) => platform.onChange(msg.string()),
    });
    if (roles.gateway) {
      platform.groupNats = new GroupNatsService(nc, platform.groups, platform.hostedMembers, groupSubjectPrefix(config.natsApiPrefix));
      platform.groupNats.start();
    }
    if (roles.shards) await platform.startSupervisor();
    return platform;
  }

  private async startSupervisor(): Promise<void> {
    const autoscaler = new Autoscaler(this.local, this.directory, this.resharder, {
      recordsPerSecond: this.config.shardWriteRecordsPerSecond,
      bytesPerSecond: this.config.shardWriteBytesPerSecond,
      windowMs: this.config.onDemandSplitWindowMs,
    });
    this.supervisor = new ShardSupervisor(
      new LeaseRepository(this.dataSource),
      this.repository,
      this.store,
      this.local,
      this.nc,
      {
        ownerId: `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`,
        leaseTtlMs: this.config.leaseTtlMs,
        tickMs: this.config.leaseTickMs,
        staleSealMs: this.config.reshardHoldMs,
        housekeeping: async () => {
          await this.streams.sweep();
          await this.consumers.sweep();
          await autoscaler.check();
        },
        writeLimit: (stream) => this.writeLimit(stream),
        onAppended: (shard, lastSeq) => this.notices.publish(shard, lastSeq),
      },
    );
    await this.supervisor.start();
  }

  /** A stream changed somewhere: drop it from the cache and let the supervisor place new shards now. */
  private onChange(streamId: string): void {
    this.directory.invalidate(streamId || undefined);
    this.notices.metadataChanged(streamId || undefined);
    void this.supervisor?.tick();
    if (streamId) void this.followWriteLimits(streamId).catch(() => undefined);
    if (streamId && this.kinesisMetrics.tracks(streamId)) void this.forgetMetersIfGone(streamId).catch(() => undefined);
  }

  /** A stream's deletion finished (its row is gone): its metric series leave /metrics. */
  private async forgetMetersIfGone(streamId: string): Promise<void> {
    if (!(await this.repository.findById(streamId))) await this.kinesisMetrics.forget(streamId);
  }

  /** The stream's mode may have changed: its actors here take the new mode's write limit. */
  private async followWriteLimits(streamId: string): Promise<void> {
    const actors = this.local.all().filter((actor) => actor.shard.streamId === streamId);
    if (actors.length === 0) return;
    const stream = await this.directory.byId(streamId);
    await Promise.all(actors.map((actor) => actor.setWriteLimit(this.writeLimit(stream))));
  }

  private announce(streamId: string): void {
    this.directory.invalidate(streamId);
    this.nc.publish(METADATA_CHANGED_SUBJECT, streamId);
  }

  /** What keeps this process from serving: an empty list when NATS and Postgres are fine. */
  async healthProblems(): Promise<string[]> {
    const problems: string[] = [];
    if (this.nc.isClosed()) problems.push('NATS connection closed');
    await this.dataSource.query('SELECT 1').catch(() => problems.push('Postgres does not answer'));
    return problems;
  }

  /** Stops actors (draining their mailboxes), releases leases, closes connections. */
  async close(): Promise<void> {
    this.fanOut.closeAll();
    this.groupNats?.close();
    this.hostedMembers.closeAll();
    this.groupDelivery.closeAll();
    await this.supervisor?.stop();
    this.changes?.unsubscribe();
    this.store.close();
    await this.nc.drain();
    await this.dataSource.destroy();
  }
}
