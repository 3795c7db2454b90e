/**
 * Runs one analytics application: reads every shard of its input stream (children after their
 * parents) — or a DirectPut delivery stream's own JetStream stream, holding its position there
 * so the delivery pipeline's purge waits for it (input-source.ts) — maps records to rows, feeds
 * the compiled application, queues output rows to their sinks and publishes every
 * in-application stream live. A checkpoint — the last sequence read
 * per shard and the application's window state, taken at the same instant — is stored once
 * every row produced before it is written to its outputs: after a crash the rows after the
 * positions are read again into the saved state, so a window closed before the checkpoint is
 * never emitted again, and one closed after it is emitted again (outputs are at least once).
 */
import type { JetStreamManager, NatsConnection } from 'nats';
import { map, merge, Subject, type Observable, type SchedulerLike } from 'rxjs';
import { DirectPutSource, StreamShardSource, type SourceFollower, type SourceMessage } from '@shardline/firehose';
import type { AnalyticsApplicationRepository, DeliveryReaderRepository, StoredAnalyticsApplication } from '@shardline/metadata';
import { deliveryStreamStreamName, shardStreamName, type DataKeyResolver } from '@shardline/messaging';
import type { Stream } from '@shardline/protocol';
import { compileApplication, type Application, type Row } from '@shardline/sql';
import { DIRECT_PUT_POSITION, inputLabel, readerOf, type ResolvedInput } from './input-source';
import { spanContextOf, withSpan, type AnalyticsMetrics, type ApplicationMeters } from '@shardline/telemetry';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { liveSubject } from './live';
import { analyticsInput, analyticsOutput, ERROR_STREAM, LATE_STREAM, SOURCE_STREAM, type AnalyticsCheckpoint, type AnalyticsOutput } from './model';
import { referenceTables, tableDefinitions, type ReferenceTables } from './reference-tables';
import { ARRIVAL_COLUMN, rowMapper, sourceDefinition } from './row-mapping';
import { ShardAligner } from './shard-aligner';
import { OutputQueue, type RowSink } from './outputs/sink';

export interface RunnerDeps {
  nc: NatsConnection;
  jsm: JetStreamManager;
  /** Where reference tables and Postgres outputs without a connection string live. */
  databaseUrl: string;
  repository: AnalyticsApplicationRepository;
  /** Where the input's records are (undefined when its stream or delivery stream does not exist). */
  resolve(input: ReturnType<typeof analyticsInput.parse>): Promise<ResolvedInput | undefined>;
  /** Holds of direct-put inputs: the delivery pipeline purges no record an application still needs. */
  readers: DeliveryReaderRepository;
  sink(output: AnalyticsOutput): RowSink;
  scheduler: SchedulerLike;
  checkpointMs: number;
  now(): number;
  onError(err: unknown): void;
  /** Opens the records of encrypted (KMS) input streams (the platform's data keys). */
  keys?: DataKeyResolver;
  /** The process's analytics metric families (input lag, records in and out). */
  metrics?: AnalyticsMetrics;
}

/** Parses the stored configuration; throws when it does not fit the current shapes. */
export function configOf(app: StoredAnalyticsApplication) {
  return { input: analyticsInput.parse(app.input), outputs: app.outputs.map((o) => analyticsOutput.parse(o)) };
}

/** Compiles an application's SQL against its input (no state): throws SqlError with line and column. */
export function compileStored(sql: string, input: ReturnType<typeof analyticsInput.parse>, scheduler?: SchedulerLike, state?: AnalyticsCheckpoint['state']): Application {
  return compileApplication(sql, {
    sources: { [SOURCE_STREAM]: sourceDefinition(input) },
    tables: tableDefinitions(input),
    ...(scheduler ? { scheduler } : {}),
    ...(state ? { state } : {}),
  });
}

/** How long a shard with nothing new is still waited for by the event-time merge of shards. */
const ALIGN_IDLE_MS = 500;
const ALIGN_MAX_QUEUED = 20_000;

/** The event time of a row, for the merge of shards (undefined: windows are not on event time). */
function eventTimeOf(input: ReturnType<typeof analyticsInput.parse>): ((row: Row) => number) | undefined {
  const column = input.time.kind === 'eventColumn' ? input.time.column : input.time.kind === 'arrival' ? ARRIVAL_COLUMN : undefined;
  if (!column) return undefined;
  return (row) => {
    const value = row[column];
    return typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  };
}

export class ApplicationRunner {
  /** The last sequence read per shard; and where reading began (a checkpoint's floor while rows wait in the aligner). */
  private readonly positions: Record<string, number> = {};
  private readonly startPositions: Record<string, number> = {};
  private readonly followers: SourceFollower[] = [];
  private readonly queues: OutputQueue[] = [];
  private readonly input = new Subject<Row>();
  private readonly mapErrors = new Subject<Row>();
  private application?: Application;
  private tables?: ReferenceTables;
  /** Event time over several shards: merges them in time order (see shard-aligner.ts). */
  private aligner?: ShardAligner;
  private alignTimer?: NodeJS.Timeout;
  private timer?: NodeJS.Timeout;
  private checkpointing?: Promise<void>;
  private stopped = false;
  /** The id of the DirectPut delivery stream read (undefined: a stream is read). */
  private directPut?: string;
  private meters?: ApplicationMeters;

  constructor(
    readonly app: StoredAnalyticsApplication,
    private readonly deps: RunnerDeps,
  ) {}

  async start(): Promise<void> {
    const { input, outputs } = configOf(this.app);
    const source = await this.deps.resolve(input);
    if (!source) throw new Error(`analytics application ${this.app.name}: no ${inputLabel(input)}`);
    this.directPut = source.kind === 'directPut' ? source.deliveryStream.id : undefined;
    // Hold before the start position is read: nothing after it may be purged meanwhile.
    await this.deps.readers.release(readerOf(this.app.id), this.directPut);
    if (this.directPut) await this.deps.readers.hold(this.directPut, readerOf(this.app.id), 0);
    const resume = await this.resumePoint(source);
    Object.assign(this.positions, resume.positions);
    Object.assign(this.startPositions, resume.positions);
    const application = compileStored(this.app.sql, input, this.deps.scheduler, resume.state);
    this.application = application;
    this.meters = this.deps.metrics?.application(this.app.name, input.deliveryStreamName ?? input.streamName ?? '');
    const observer = { application: this.app.name, ...(this.meters ? { meters: this.meters } : {}) };
    // Records that could not be read join the application's own errors in error_stream.
    const errors: Observable<Row> = merge(this.mapErrors, application.errors.pipe(map((e): Row => ({ ...e }))));
    const late: Observable<Row> = application.late.pipe(map((l): Row => ({ ...l })));
    const streamOf = (name: string): Observable<Row> =>
      name.toLowerCase() === ERROR_STREAM ? errors : name.toLowerCase() === LATE_STREAM ? late : application.output(name);
    for (const output of outputs) {
      const queue = new OutputQueue(`${output.kind}:${output.inAppStream}`, this.deps.sink(output), this.deps.onError, observer);
      this.queues.push(queue);
      streamOf(output.inAppStream).subscribe((row) => queue.push(row));
    }
    const live = [...application.plan.streams.values()].filter((s) => s.kind === 'in-application').map((s) => s.name);
    for (const name of [...live, ERROR_STREAM, LATE_STREAM]) {
      const subject = liveSubject(this.app.name, name);
      streamOf(name).subscribe((row) => this.deps.nc.publish(subject, JSON.stringify(row)));
    }
    this.tables = referenceTables(input, this.deps.databaseUrl, this.deps.onError);
    application.start({ [SOURCE_STREAM]: this.input }, this.tables.tables);
    await this.save(this.snapshot());
    await this.deps.repository.markRunning(this.app.id);
    if (source.kind === 'directPut') this.followDirectPut(source, input);
    else this.follow(source.stream, input);
    this.timer = setInterval(() => void this.checkpoint(), this.deps.checkpointMs);
  }

  /** Stores a checkpoint once every output row produced before it is written. */
  checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing;
    const snapshot = this.snapshot();
    this.checkpointing = Promise.all(this.queues.map((q) => q.drain()))
      .then(() => this.save(snapshot))
      .catch((err) => this.deps.onError(err))
      .finally(() => (this.checkpointing = undefined));
    return this.checkpointing;
  }

  /** Stops reading, stores a final checkpoint once the outputs are written, and stops the application. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.alignTimer) clearInterval(this.alignTimer);
    await Promise.all(this.followers.map((f) => f.stop()));
    await this.checkpointing;
    // Not input.complete(): that would close (and emit) every open window.
    await this.checkpoint();
    this.application?.stop();
    await this.tables?.close();
    await Promise.all(this.queues.map((q) => q.close()));
    this.meters?.close();
  }

  /**
   * Stops without a checkpoint — what a crash leaves, and what a runner that lost its lock must
   * do (another process may own the application now). The next owner resumes from the last one.
   */
  async abort(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.alignTimer) clearInterval(this.alignTimer);
    await Promise.all(this.followers.map((f) => f.stop()));
    this.application?.stop();
    await this.tables?.close();
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
    this.meters?.close();
  }

  /** Stores a checkpoint; then moves the hold on a direct-put input up to it (never past it: a restart reads from there). */
  private async save(snapshot: AnalyticsCheckpoint): Promise<void> {
    await this.deps.repository.saveCheckpoint(this.app.id, snapshot);
    if (this.directPut) await this.deps.readers.hold(this.directPut, readerOf(this.app.id), snapshot.positions[DIRECT_PUT_POSITION] ?? 0);
  }

  private snapshot(): AnalyticsCheckpoint {
    // Stringified now: the state objects go on changing with the next row.
    const state = JSON.parse(JSON.stringify(this.application?.checkpoint() ?? { pumps: {} })) as AnalyticsCheckpoint['state'];
    const positions = { ...this.positions };
    if (this.aligner) {
      for (const shard of Object.keys(positions)) {
        const released = this.aligner.released(shard) ?? this.startPositions[shard];
        if (released === undefined) delete positions[shard];
        else positions[shard] = released;
      }
    }
    return { positions, state, savedAt: this.deps.now() };
  }

  /** Where to begin: the checkpoint when resuming (a restart, or LAST_STOPPED_POINT), else NOW or TRIM_HORIZON with no state. */
  private async resumePoint(source: ResolvedInput): Promise<Partial<AnalyticsCheckpoint>> {
    const checkpoint = this.app.checkpoint as AnalyticsCheckpoint | null;
    const resuming = this.app.status === 'RUNNING' || this.app.startingPosition === 'LAST_STOPPED_POINT';
    if (resuming && checkpoint?.positions) return checkpoint;
    const positions: Record<string, number> = {};
    if (this.app.startingPosition === 'TRIM_HORIZON') return { positions };
    if (source.kind === 'directPut') {
      const info = await this.deps.jsm.streams.info(deliveryStreamStreamName(source.deliveryStream.id)).catch(() => undefined);
      positions[DIRECT_PUT_POSITION] = info?.state.last_seq ?? 0;
      return { positions };
    }
    for (const shard of source.stream.shards) positions[shard.shardId] = await this.lastSeq(source.stream, shard.index);
    return { positions };
  }

  private async lastSeq(stream: Stream, shardIndex: number): Promise<number> {
    const info = await this.deps.jsm.streams.info(shardStreamName(stream.id, shardIndex)).catch(() => undefined);
    return info?.state.last_seq ?? 0;
  }

  private follow(stream: Stream, input: ReturnType<typeof analyticsInput.parse>): void {
    const map = rowMapper(input);
    const js = this.deps.nc.jetstream();
    const byId = new Map(stream.shards.map((s) => [s.shardId, s]));
    const timeOf = eventTimeOf(input);
    if (timeOf && stream.shards.length > 1) {
      const aligner = new ShardAligner((row) => this.input.next(row), timeOf, () => Date.now(), { idleMs: ALIGN_IDLE_MS, maxQueued: ALIGN_MAX_QUEUED });
      for (const shard of stream.shards) aligner.add(shard.shardId);
      this.aligner = aligner;
      this.alignTimer = setInterval(() => aligner.tick(), 100);
    }
    for (const shard of stream.shards) {
      const parents = [shard.parentShardId, shard.adjacentParentShardId].filter((p): p is string => !!p && byId.has(p));
      // A parent is read to its end when it is closed and our position reached its last message.
      const parentsDelivered = async () => {
        for (const parent of parents) {
          const p = byId.get(parent)!;
          if (p.status !== 'CLOSED' && !p.endingSequenceNumber) return false;
          if ((this.positions[parent] ?? 0) < (await this.lastSeq(stream, p.index))) return false;
        }
        return true;
      };
      const source = new StreamShardSource(js, shard.shardId, stream.id, shard.index, parentsDelivered, this.deps.keys, 500);
      const follower = source.follow((this.positions[shard.shardId] ?? 0) + 1, async (message) => this.onMessage(shard.shardId, message, map));
      follower.done.catch((err) => !this.stopped && this.deps.onError(err));
      this.followers.push(follower);
    }
  }

  /** A DirectPut delivery stream's records (opened when sealed, as its pipeline does), one source in order. */
  private followDirectPut(source: Extract<ResolvedInput, { kind: 'directPut' }>, input: ReturnType<typeof analyticsInput.parse>): void {
    const map = rowMapper(input);
    const reader = new DirectPutSource(this.deps.nc.jetstream(), this.deps.jsm, source.deliveryStream.id, this.deps.keys);
    // Only follow(): release() is the delivery pipeline's, never a reader's.
    const follower = reader.follow((this.positions[DIRECT_PUT_POSITION] ?? 0) + 1, async (message) => this.onMessage(DIRECT_PUT_POSITION, message, map));
    follower.done.catch((err) => !this.stopped && this.deps.onError(err));
    this.followers.push(follower);
  }

  /**
   * Per source message (one producer's batch), never per record: the input metrics, a span
   * linked to the producer's trace, and that trace handed to the outputs' next writes.
   */
  private async onMessage(shardId: string, message: SourceMessage, map: ReturnType<typeof rowMapper>): Promise<void> {
    if (this.stopped) return;
    const last = message.records[message.records.length - 1];
    if (last) this.meters?.readMessage(shardId, message.records.length, last.approximateArrivalTimestamp, message.pending ?? 0, this.deps.now());
    for (const queue of this.queues) queue.follows(message.trace);
    const producer = message.trace ? spanContextOf(message.trace) : undefined;
    const attributes = { 'shardline.application': this.app.name, 'shardline.shard_id': shardId, 'shardline.records': message.records.length };
    return withSpan('analytics.input', attributes, () => this.process(shardId, message, map), {
      kind: SpanKind.CONSUMER,
      parent: ROOT_CONTEXT,
      links: producer ? [{ context: producer }] : [],
    });
  }

  private async process(shardId: string, message: SourceMessage, map: ReturnType<typeof rowMapper>): Promise<void> {
    const rows: Row[] = [];
    for (const record of message.records) {
      try {
        rows.push(map(record.data, record.approximateArrivalTimestamp));
      } catch (err) {
        this.mapErrors.next({ source: SOURCE_STREAM, row: record.data.toString('utf8'), error: err instanceof Error ? err.message : String(err), time: this.deps.now() });
      }
    }
    // Read means read: the aligner tells a checkpoint which of these rows reached the application.
    this.positions[shardId] = message.seq;
    if (this.aligner) return this.aligner.push(shardId, message.seq, rows);
    for (const row of rows) this.input.next(row);
  }
}
