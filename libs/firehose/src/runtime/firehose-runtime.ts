/**
 * The firehose role of a process, assembled in plain TypeScript (the app, the standalone
 * process and tests build it the same way): delivery streams from Postgres, their runners
 * (FirehoseService), the transform plugin host, the object store, and metrics.
 */
import type { NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import { DeliveryProgressRepository, DeliveryReaderRepository, DeliveryStreamRepository } from '@shardline/metadata';
import { shardStreamName, type DataKeyResolver } from '@shardline/messaging';
import type { DeliveryStream, Stream } from '@shardline/protocol';
import type { Registry } from 'prom-client';
import { PluginRegistry, TransformHost } from '../plugins';
import { DeliveryOwnership } from '../pipeline/delivery-ownership';
import { FirehoseService, type RunnableDeliveryStream } from '../pipeline/firehose-service';
import { DeliveryMetrics } from '../pipeline/targets/delivery-metrics';
import { objectStoreOf, planDelivery } from './delivery-plan';
import { exportDeliveryMetrics, type DeliveryStreamMetrics } from './delivery-metrics-export';
import type { FirehoseConfig } from './firehose-config';
import type { ObjectStore } from '../model';

export interface FirehoseRuntimeDeps {
  nc: NatsConnection;
  dataSource: DataSource;
  databaseUrl: string;
  config: FirehoseConfig;
  /** A Shardline stream by id, with its shards (KinesisStreamAsSource delivery streams). */
  streamById(id: string): Promise<Stream | undefined>;
  /** Opens sealed records of encrypted source streams (the platform's data keys). */
  keys?: DataKeyResolver;
  now?: () => number;
  onError?: (err: unknown) => void;
  /** The process's metrics registry: the delivery metrics show on its `/metrics` as `firehose_*`. */
  registry?: Registry;
}

export class FirehoseRuntime {
  readonly objects: ObjectStore;
  private readonly metricsById = new Map<string, DeliveryMetrics>();
  private readonly known = new Map<string, { stream: DeliveryStream; source?: Stream }>();
  /** Delivery stream names by id; unlike `known`, never cleared while the streams are re-read. */
  private readonly names = new Map<string, string>();
  private stopExport: () => void = () => undefined;

  private constructor(
    private readonly deps: FirehoseRuntimeDeps,
    readonly service: FirehoseService,
    private readonly registry: PluginRegistry,
    private readonly transforms: TransformHost,
    private readonly ownership: DeliveryOwnership,
  ) {
    this.objects = objectStoreOf(deps.config);
  }

  static async start(deps: FirehoseRuntimeDeps): Promise<FirehoseRuntime> {
    const registry = new PluginRegistry(deps.dataSource, { dataDir: deps.config.dataDir });
    await registry.start();
    const transforms = new TransformHost({ registry, poolSize: deps.config.pluginProcesses, accountId: deps.config.accountId });
    transforms.start();
    const ownership = new DeliveryOwnership(deps.databaseUrl);
    await ownership.open();
    const progress = new DeliveryProgressRepository(deps.dataSource);
    const readers = new DeliveryReaderRepository(deps.dataSource);
    const now = deps.now ?? Date.now;
    const repository = new DeliveryStreamRepository(deps.dataSource, { region: deps.config.region, accountId: deps.config.accountId }, () => new Date(now()));
    const js = deps.nc.jetstream();
    const jsm = await deps.nc.jetstreamManager();
    // The service's callbacks reach the runtime built just after it.
    const self: { runtime?: FirehoseRuntime } = {};
    const service = new FirehoseService(deps.nc, {
      active: () => self.runtime!.active(repository),
      plan: async (runnable) => {
        const { stream, source } = self.runtime!.known.get(runnable.id)!;
        if (stream.type === 'KinesisStreamAsSource' && source) await self.runtime!.startPositions(stream, source, progress, jsm);
        return planDelivery(stream, {
          config: deps.config,
          js,
          jsm,
          progress,
          transforms,
          metrics: self.runtime!.metrics(stream.id),
          objects: self.runtime!.objects,
          now,
          readersDone: (id) => readers.floor(id, deps.config.readerHoldMs),
          ...(source ? { stream: source } : {}),
          ...(deps.keys ? { keys: deps.keys } : {}),
        });
      },
      progress,
      ownership,
      clock: { now },
      onRead: (stream, records, bytes) => self.runtime!.metrics(stream.id).incoming(records, bytes),
      reconcileMs: deps.config.reconcileMs,
      onError: (err) => deps.onError?.(err),
    });
    const runtime = new FirehoseRuntime(deps, service, registry, transforms, ownership);
    self.runtime = runtime;
    if (deps.registry) runtime.stopExport = exportDeliveryMetrics(deps.registry, () => runtime.deliveryMetrics());
    await service.start();
    return runtime;
  }

  /** Delivery metrics of a delivery stream this process delivers (CloudWatch's names). */
  metrics(deliveryStreamId: string): DeliveryMetrics {
    let metrics = this.metricsById.get(deliveryStreamId);
    if (!metrics) this.metricsById.set(deliveryStreamId, (metrics = new DeliveryMetrics()));
    return metrics;
  }

  /** The metrics of a delivery stream this process delivers, by name (undefined when it is not delivered here). */
  metricsByName(name: string): Record<string, number> | undefined {
    const entry = [...this.known.values()].find((k) => k.stream.name === name);
    return entry && this.service.owned().includes(entry.stream.id) ? this.metrics(entry.stream.id).snapshot() : undefined;
  }

  /** The metrics of every delivery stream this process delivers now, by delivery stream name. */
  deliveryMetrics(): DeliveryStreamMetrics[] {
    const owned = this.service.owned();
    return owned.flatMap((id) => {
      const name = this.names.get(id);
      return name === undefined ? [] : [{ deliveryStream: name, values: this.metrics(id).snapshot() }];
    });
  }

  async close(): Promise<void> {
    this.stopExport();
    await this.service.close();
    await this.transforms.stop();
    await this.registry.stop();
    await this.ownership.close();
  }

  /** ACTIVE delivery streams; a stream-sourced one's version includes its shards, so a reshard re-plans it. */
  private async active(repository: DeliveryStreamRepository): Promise<RunnableDeliveryStream[]> {
    const streams = (await repository.all()).filter((s) => s.status === 'ACTIVE');
    const runnable: RunnableDeliveryStream[] = [];
    this.known.clear();
    for (const stream of streams) {
      let source: Stream | undefined;
      let shape = '';
      if (stream.type === 'KinesisStreamAsSource' && stream.source) {
        source = await this.deps.streamById(stream.source.streamId);
        if (!source) continue;
        shape = ':' + source.shards.map((s) => `${s.shardId}/${s.status}`).join(',');
      }
      this.known.set(stream.id, { stream, ...(source ? { source } : {}) });
      this.names.set(stream.id, stream.name);
      runnable.push({ id: stream.id, name: stream.name, versionId: `${stream.versionId}${shape}` });
    }
    return runnable;
  }

  /**
   * Where a stream-sourced delivery stream starts on each shard it has never read: the first
   * record at or after its DeliveryStartTimestamp (AWS starts reading at creation), or the
   * start of a shard created after that (a reshard's children).
   */
  private async startPositions(stream: DeliveryStream, source: Stream, progress: DeliveryProgressRepository, jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>): Promise<void> {
    const known = new Set((await progress.all(stream.id)).map((p) => p.source));
    const start = stream.source!.deliveryStartTimestamp;
    for (const shard of source.shards) {
      if (known.has(shard.shardId)) continue;
      if (shard.createdAt && shard.createdAt >= start) continue;
      const seq = await firstSeqAt(this.deps.nc, shardStreamName(source.id, shard.index), start, jsm);
      await progress.commit(stream.id, shard.shardId, seq - 1);
    }
  }
}

/** The first JetStream sequence stored at or after `time` (one past the last when none is). */
async function firstSeqAt(nc: NatsConnection, name: string, time: Date, jsm: Awaited<ReturnType<NatsConnection['jetstreamManager']>>): Promise<number> {
  const info = await jsm.streams.info(name);
  const consumer = await nc.jetstream().consumers.get(name, { opt_start_time: time.toISOString() });
  try {
    const messages = await consumer.fetch({ max_messages: 1, expires: 1000 });
    for await (const msg of messages) return msg.seq;
    return info.state.last_seq + 1;
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}
