import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from 'nats';
import type { DataSource } from 'typeorm';
import { ShardIteratorCodec } from '@shardline/protocol';
import { ConsumerRepository, LeaseRepository, StreamRepository, openMetadata } from '@shardline/metadata';
import { METADATA_CHANGED_SUBJECT, ShardStore, connectNats, messageLimit } from '@shardline/messaging';
import { ActorRefs } from './actor/actor-refs';
import { LocalActors } from './actor/local-actors';
import type { PlatformConfig } from './config';
import { ConsumerService } from './control/consumer-service';
import { StreamService } from './control/stream-service';
import { RecordProducer } from './data/record-producer';
import { ShardReader } from './data/shard-reader';
import { StreamDirectory } from './data/stream-directory';
import { AppendNotices } from './fanout/append-notices';
import { FanOut } from './fanout/fan-out';
import { ShardlineKinesisBackend } from './kinesis-backend';
import { ShardSupervisor } from './placement/shard-supervisor';

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
  readonly repository: StreamRepository;
  readonly streams: StreamService;
  readonly directory: StreamDirectory;
  readonly backend: ShardlineKinesisBackend;
  /** Append notices for enhanced fan-out: local actors publish, subscriptions watch. */
  readonly notices: AppendNotices;
  readonly consumers: ConsumerService;
  readonly fanOut: FanOut;
  supervisor?: ShardSupervisor;
  private changes?: Subscription;

  private constructor(
    readonly config: PlatformConfig,
    readonly nc: NatsConnection,
    readonly dataSource: DataSource,
    readonly store: ShardStore,
    now: () => number,
  ) {
    this.repository = new StreamRepository(dataSource, () => new Date());
    this.directory = new StreamDirectory(this.repository, config.accountId);
    this.streams = new StreamService(this.repository, store, config, (id) => this.announce(id));
    const producer = new RecordProducer(this.directory, new ActorRefs(this.local, nc, messageLimit(nc)), messageLimit(nc));
    const reader = new ShardReader(store, (shard) => this.local.get(shard)?.lastSequence);
    const consumerRepository = new ConsumerRepository(dataSource);
    this.notices = new AppendNotices(nc);
    this.consumers = new ConsumerService(consumerRepository, this.repository, config);
    this.fanOut = new FanOut({ consumers: consumerRepository, directory: this.directory, reader, store, notices: this.notices, config });
    this.backend = new ShardlineKinesisBackend({
      repository: this.repository,
      streams: this.streams,
      directory: this.directory,
      producer,
      reader,
      store,
      iterators: new ShardIteratorCodec(config.iteratorSecret, now),
      consumers: this.consumers,
      fanOut: this.fanOut,
      accountId: config.accountId,
      now,
    });
  }

  static async open(config: PlatformConfig, roles: PlatformRoles): Promise<Platform> {
    const dataSource = await openMetadata(config.databaseUrl);
    const nc = await connectNats(config.natsUrl, `shardline-${roles.gateway ? 'gateway' : 'shards'}-${process.pid}`);
    const platform = new Platform(config, nc, dataSource, await ShardStore.open(nc, config.replicas), roles.clock ?? Date.now);
    platform.changes = nc.subscribe(METADATA_CHANGED_SUBJECT, {
      callback: (_err, msg) => platform.onChange(msg.string()),
    });
    if (roles.shards) await platform.startSupervisor();
    return platform;
  }

  private async startSupervisor(): Promise<void> {
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
        housekeeping: async () => {
          await this.streams.sweep();
          await this.consumers.sweep();
        },
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
    await this.supervisor?.stop();
    this.changes?.unsubscribe();
    this.store.close();
    await this.nc.drain();
    await this.dataSource.destroy();
  }
}
