import type { DataKeyResolver } from '@shardline/messaging';
/**
 * The analytics role of a process, assembled in plain TypeScript (the app, the standalone
 * process and tests build it the same way): runs an ApplicationRunner for every STARTING or
 * RUNNING application whose Postgres advisory lock it wins (as Firehose owns delivery
 * streams), and follows changes — told on ANALYTICS_CHANGED_SUBJECT, checked again every few
 * seconds. A new version of an application, or a reshard of its input, restarts its runner
 * from its checkpoint.
 */
import type { NatsConnection, Subscription } from 'nats';
import { asyncScheduler, type SchedulerLike } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { Registry } from 'prom-client';
import { AnalyticsMetrics } from '@shardline/telemetry';
import { CoalescedTask, DeliveryOwnership } from '@shardline/firehose';
import { AnalyticsApplicationRepository, DeliveryReaderRepository, DeliveryStreamRepository, type StoredAnalyticsApplication } from '@shardline/metadata';
import type { Stream } from '@shardline/protocol';
import { ApplicationRunner } from './application-runner';
import { inputShape, readerOf, resolveInput, type InputLookups, type ResolvedInput } from './input-source';
import { ANALYTICS_CHANGED_SUBJECT } from './live';
import type { AnalyticsInput, AnalyticsOutput } from './model';
import { DeliveryStreamSink, type PutDeliveryRecords } from './outputs/delivery-stream-sink';
import { PostgresSink } from './outputs/postgres-sink';
import type { RowSink } from './outputs/sink';
import { StreamSink, type PutRecords } from './outputs/stream-sink';
import { WebhookSink } from './outputs/webhook-sink';

/** Advisory-lock namespace of analytics applications (delivery streams use another). */
const ANALYTICS_LOCK_SPACE = 7364;

export interface AnalyticsRuntimeDeps {
  nc: NatsConnection;
  dataSource: DataSource;
  databaseUrl: string;
  /** A Shardline stream with its shards, by name (undefined when missing). */
  streamByName(name: string): Promise<Stream | undefined>;
  /** Opens the records of encrypted (KMS) input streams (the platform's data keys). */
  keys?: DataKeyResolver;
  /** The platform's producer (platform.backend.putRecords). */
  putRecords: PutRecords;
  /** Firehose direct put by delivery stream name (openDirectPut); absent where Firehose is not offered. */
  putDeliveryRecords?: PutDeliveryRecords;
  reconcileMs?: number;
  checkpointMs?: number;
  /** First wait between webhook/Postgres retries (tests shorten it). */
  retryInitialMs?: number;
  scheduler?: SchedulerLike;
  now?: () => number;
  /** The process's Prometheus registry: analytics lag and record counts go on it. */
  registry?: Registry;
  onError?: (err: unknown, application?: string) => void;
}

interface Running {
  version: string;
  runner: ApplicationRunner;
}

export class AnalyticsRuntime {
  private readonly running = new Map<string, Running>();
  private readonly repository: AnalyticsApplicationRepository;
  private readonly readers: DeliveryReaderRepository;
  private readonly lookups: InputLookups;
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  /** One reconcile at a time; a request during one runs another after it. */
  private readonly reconciler = new CoalescedTask(() => this.reconcileOnce(), (err) => this.deps.onError?.(err));
  private closed = false;
  /** Registered at start, so a scrape lists the families before any application runs. */
  private readonly metrics?: AnalyticsMetrics;

  private constructor(
    private readonly deps: AnalyticsRuntimeDeps,
    private ownership: DeliveryOwnership,
  ) {
    this.repository = new AnalyticsApplicationRepository(deps.dataSource);
    this.readers = new DeliveryReaderRepository(deps.dataSource);
    // Only a delivery stream's id, type and source are read here: the ARN's region and account do not matter.
    const deliveryStreams = new DeliveryStreamRepository(deps.dataSource, { region: 'us-east-1', accountId: '000000000000' });
    this.lookups = {
      stream: (name) => deps.streamByName(name).catch(() => undefined),
      deliveryStream: (name) => deliveryStreams.findByName(name),
    };
    if (deps.registry) this.metrics = AnalyticsMetrics.on(deps.registry);
  }

  static async start(deps: AnalyticsRuntimeDeps): Promise<AnalyticsRuntime> {
    const ownership = new DeliveryOwnership(deps.databaseUrl, ANALYTICS_LOCK_SPACE);
    await ownership.open();
    const runtime = new AnalyticsRuntime(deps, ownership);
    runtime.subscription = deps.nc.subscribe(ANALYTICS_CHANGED_SUBJECT, { callback: () => void runtime.reconcile() });
    runtime.timer = setInterval(() => void runtime.reconcile(), deps.reconcileMs ?? 2000);
    await runtime.reconcile();
    return runtime;
  }

  /** Names of the applications this process runs. */
  owned(): string[] {
    return [...this.running.values()].map((r) => r.runner.app.name);
  }

  /** Checkpoints an application this process runs now (tests, an operator). */
  async checkpoint(name: string): Promise<void> {
    await Promise.all([...this.running.values()].filter((r) => r.runner.app.name === name).map((r) => r.runner.checkpoint()));
  }

  reconcile(): Promise<void> {
    return this.reconciler.run();
  }

  /** Stops every runner (each stores a final checkpoint) and gives up ownership. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.subscription?.unsubscribe();
    await this.reconciler.stop();
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)));
    await this.ownership.close();
  }

  /** Stops every runner without a checkpoint (as a crash would; tests) and gives up ownership. */
  async abandon(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.subscription?.unsubscribe();
    await this.reconciler.stop();
    const running = [...this.running.values()];
    this.running.clear();
    await Promise.all(running.map((r) => r.runner.abort()));
    await this.ownership.close();
  }

  private async reconcileOnce(): Promise<void> {
    if (this.closed) return;
    await this.checkOwnership();
    const wanted = new Map<string, { app: StoredAnalyticsApplication; version: string }>();
    for (const app of await this.repository.runnable()) {
      const shape = inputShape(await this.inputOf(app));
      wanted.set(app.id, { app, version: `${app.version}:${app.startingPosition}:${shape}` });
    }
    for (const [id, running] of this.running) {
      const now = wanted.get(id);
      if (!now || now.version !== running.version) await this.stopOne(id);
    }
    for (const { app, version } of wanted.values()) {
      if (this.closed) return;
      if (this.running.has(app.id)) continue;
      if (!(await this.ownership.tryAcquire(app.id))) continue;
      // Read again under the lock: the previous owner may have stored a newer checkpoint.
      const fresh = await this.repository.byId(app.id);
      if (!fresh || (fresh.status !== 'STARTING' && fresh.status !== 'RUNNING')) {
        await this.ownership.release(app.id);
        continue;
      }
      const runner = new ApplicationRunner(fresh, {
        nc: this.deps.nc,
        jsm: await this.deps.nc.jetstreamManager(),
        databaseUrl: this.deps.databaseUrl,
        repository: this.repository,
        resolve: (input) => resolveInput(input, this.lookups),
        readers: this.readers,
        sink: (output) => this.sink(output),
        scheduler: this.deps.scheduler ?? asyncScheduler,
        checkpointMs: this.deps.checkpointMs ?? 10_000,
        now: this.deps.now ?? Date.now,
        onError: (err) => this.deps.onError?.(err, app.name),
        ...(this.deps.keys ? { keys: this.deps.keys } : {}),
        ...(this.metrics ? { metrics: this.metrics } : {}),
      });
      this.running.set(app.id, { version, runner });
      await runner.start().catch(async (err) => {
        this.deps.onError?.(err, app.name);
        this.running.delete(app.id);
        await runner.stop().catch(() => undefined);
        await this.ownership.release(app.id).catch(() => undefined);
      });
    }
  }

  /**
   * A lost lock connection has lost every lock: another process may run these applications
   * now, so the runners stop without a checkpoint (theirs may be older than the new owner's),
   * and a new connection competes again from the next reconcile.
   */
  private async checkOwnership(): Promise<void> {
    if (await this.ownership.ping()) return;
    const running = [...this.running.values()];
    this.running.clear();
    await Promise.all(running.map((r) => r.runner.abort()));
    await this.ownership.close();
    const ownership = new DeliveryOwnership(this.deps.databaseUrl, ANALYTICS_LOCK_SPACE);
    await ownership.open();
    this.ownership = ownership;
  }

  private async inputOf(app: StoredAnalyticsApplication): Promise<ResolvedInput | undefined> {
    const input = app.input as Partial<AnalyticsInput> | null;
    return input ? resolveInput(input, this.lookups).catch(() => undefined) : undefined;
  }

  private async stopOne(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    this.running.delete(id);
    await running.runner.stop().catch((err) => this.deps.onError?.(err, running.runner.app.name));
    // A deleted application's final checkpoint renewed its hold on a direct-put input: drop it.
    if (!(await this.repository.byId(id).catch(() => true))) await this.readers.release(readerOf(id)).catch((err) => this.deps.onError?.(err));
    await this.ownership.release(id).catch(() => undefined);
  }

  private sink(output: AnalyticsOutput): RowSink {
    const initial = this.deps.retryInitialMs;
    switch (output.kind) {
      case 'stream':
        return new StreamSink(this.deps.putRecords, output.streamName, output.partitionKeyColumn, initial);
      case 'deliveryStream': {
        const put = this.deps.putDeliveryRecords;
        if (!put) throw new Error('delivery stream outputs need Firehose on this server');
        return new DeliveryStreamSink(put, output.deliveryStreamName, initial);
      }
      case 'postgres':
        return new PostgresSink(output.connectionString ?? this.deps.databaseUrl, output.table, output.keyColumns, initial);
      case 'webhook':
        return new WebhookSink(output.url, { ...(output.headers ? { headers: output.headers } : {}), maxAttempts: output.maxAttempts, initialBackoffMs: initial ?? 500 });
    }
  }
}
