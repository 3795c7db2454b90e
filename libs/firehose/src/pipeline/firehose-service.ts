/**
 * The firehose role of a process: runs a DeliveryRunner for every active delivery stream
 * whose ownership it holds (a Postgres advisory lock, see delivery-ownership.ts), and follows
 * creations, updates (a new version restarts the runner on the new configuration) and
 * deletions, told by the changed subject and checked again every few seconds.
 */
import type { NatsConnection, Subscription } from 'nats';
import type { DeliveryProgressRepository } from '@shardline/metadata';
import { DELIVERY_STREAM_CHANGED_SUBJECT } from '@shardline/messaging';
import type { DeliveryBatch, DeliveryTarget } from './batch';
import type { BufferingHints } from './buffering';
import { CoalescedTask } from './coalesced-task';
import { DeliveryRunner, type RunnerClock } from './delivery-runner';
import type { DeliveryOwnership } from './delivery-ownership';
import type { RecordSource } from './ordered-source';

/** What the service needs to know of a delivery stream to run it. */
export interface RunnableDeliveryStream {
  id: string;
  name: string;
  versionId: string;
}

/** A delivery stream's runtime parts, built from its configuration. */
export interface DeliveryPlan {
  sources: RecordSource[];
  target: DeliveryTarget;
  hints: BufferingHints;
  /** Releases what the plan holds (connections, plugin processes). */
  close(): Promise<void>;
}

export interface FirehoseServiceOptions {
  /** Delivery streams that should be delivering now (ACTIVE). */
  active(): Promise<RunnableDeliveryStream[]>;
  plan(stream: RunnableDeliveryStream): Promise<DeliveryPlan>;
  progress: DeliveryProgressRepository;
  ownership: DeliveryOwnership;
  clock: RunnerClock;
  reconcileMs?: number;
  onRead?: (stream: RunnableDeliveryStream, records: number, bytes: number) => void;
  onDelivered?: (stream: RunnableDeliveryStream, batch: DeliveryBatch, elapsedMs: number) => void;
  onError?: (err: unknown, stream?: RunnableDeliveryStream) => void;
}

interface Running {
  stream: RunnableDeliveryStream;
  plan: DeliveryPlan;
  runners: DeliveryRunner[];
}

export class FirehoseService {
  private readonly running = new Map<string, Running>();
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  /** One reconcile at a time; a request during one runs another after it. */
  private readonly reconciler = new CoalescedTask(() => this.reconcileOnce(), (err) => this.options.onError?.(err));
  private closed = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly options: FirehoseServiceOptions,
  ) {}

  async start(): Promise<void> {
    this.subscription = this.nc.subscribe(DELIVERY_STREAM_CHANGED_SUBJECT, { callback: () => void this.reconcile() });
    this.timer = setInterval(() => void this.reconcile(), this.options.reconcileMs ?? 2000);
    await this.reconcile();
  }

  /** Ids of the delivery streams this process delivers. */
  owned(): string[] {
    return [...this.running.keys()];
  }

  /** Delivers what a delivery stream has buffered here now (tests, an operator's flush). */
  async flush(deliveryStreamId: string): Promise<void> {
    await Promise.all((this.running.get(deliveryStreamId)?.runners ?? []).map((runner) => runner.flushNow()));
  }

  reconcile(): Promise<void> {
    return this.reconciler.run();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.subscription?.unsubscribe();
    await this.reconciler.stop();
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)));
  }

  private async reconcileOnce(): Promise<void> {
    if (this.closed) return;
    const wanted = new Map((await this.options.active()).map((stream) => [stream.id, stream]));
    for (const [id, running] of this.running) {
      const now = wanted.get(id);
      if (!now || now.versionId !== running.stream.versionId) await this.stopOne(id);
    }
    for (const stream of wanted.values()) {
      if (this.closed) return;
      if (this.running.has(stream.id)) continue;
      if (!(await this.options.ownership.tryAcquire(stream.id))) continue;
      await this.startOne(stream).catch(async (err) => {
        this.options.onError?.(err, stream);
        await this.options.ownership.release(stream.id).catch(() => undefined);
      });
    }
  }

  private async startOne(stream: RunnableDeliveryStream): Promise<void> {
    const plan = await this.options.plan(stream);
    const runners = plan.sources.map(
      (source) =>
        new DeliveryRunner(source, this.options.progress, plan.target, {
          deliveryStreamId: stream.id,
          hints: plan.hints,
          clock: this.options.clock,
          onRead: (message) => this.options.onRead?.(stream, message.records.length, message.bytes),
          onDelivered: (batch, elapsed) => this.options.onDelivered?.(stream, batch, elapsed),
          onError: (err) => this.options.onError?.(err, stream),
        }),
    );
    this.running.set(stream.id, { stream, plan, runners });
    await Promise.all(runners.map((runner) => runner.start()));
  }

  private async stopOne(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    this.running.delete(id);
    await Promise.all(running.runners.map((runner) => runner.stop()));
    await running.plan.close().catch((err) => this.options.onError?.(err, running.stream));
    await this.options.ownership.release(id).catch(() => undefined);
  }
}
