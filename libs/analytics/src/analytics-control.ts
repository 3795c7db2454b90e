/**
 * The analytics control plane (what the REST API calls): applications are checked before they
 * are stored — the SQL compiled against the input's columns (a mistake throws SqlError with
 * line and column), every output naming a stream the SQL declares — and every change is
 * announced on ANALYTICS_CHANGED_SUBJECT so the runtimes reconcile at once.
 */
import type { NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import type { DataKeyResolver } from '@shardline/messaging';
import type { Stream } from '@shardline/protocol';
import { inUse, notFound, validationError } from '@shardline/protocol';
import { AnalyticsApplicationRepository, DeliveryReaderRepository, DeliveryStreamRepository, type StoredAnalyticsApplication } from '@shardline/metadata';
import { compileStored } from './application-runner';
import { readerOf, resolveInput, type InputLookups } from './input-source';
import { sampleInput } from './input-sample';
import { discoverSchema, type DiscoveredFormat, type DiscoveredSchema } from './schema-discovery';
import { ANALYTICS_CHANGED_SUBJECT } from './live';
import { preview, type PreviewRequest, type PreviewResult } from './preview';
import { analyticsInput, analyticsOutput, ERROR_STREAM, LATE_STREAM, type AnalyticsInput, type AnalyticsOutput, type StartingPosition } from './model';

export interface NewApplication {
  name: string;
  description?: string;
  input: AnalyticsInput;
  sql: string;
  outputs: AnalyticsOutput[];
}

export interface ApplicationUpdate {
  description?: string;
  input?: AnalyticsInput;
  sql?: string;
  outputs?: AnalyticsOutput[];
}

/** An application as the API shows it. */
export interface ApplicationDescription {
  name: string;
  description: string;
  input: AnalyticsInput;
  sql: string;
  version: number;
  outputs: AnalyticsOutput[];
  status: StoredAnalyticsApplication['status'];
  startingPosition: StartingPosition | null;
  /** The in-application streams the SQL declares (outputs and live views may name these, error_stream and late_stream). */
  inAppStreams: string[];
  checkpoint: { positions: Record<string, number>; savedAt: string } | null;
  createdAt: string;
  updatedAt: string;
}

export class AnalyticsControl {
  private readonly repository: AnalyticsApplicationRepository;
  private readonly readers: DeliveryReaderRepository;
  private readonly lookups: InputLookups;

  constructor(
    dataSource: DataSource,
    private readonly nc: NatsConnection,
    /** A Shardline stream with its shards, by name (previews read it). */
    streamByName: (name: string) => Promise<Stream | undefined>,
    /** Where reference tables without a connection string live (the metadata database). */
    private readonly databaseUrl?: string,
    /** Opens sealed records for previews (the platform's data keys). */
    private readonly keys?: DataKeyResolver,
  ) {
    this.repository = new AnalyticsApplicationRepository(dataSource);
    this.readers = new DeliveryReaderRepository(dataSource);
    // Only a delivery stream's id, type and source are read here: the ARN's region and account do not matter.
    const deliveryStreams = new DeliveryStreamRepository(dataSource, { region: 'us-east-1', accountId: '000000000000' });
    this.lookups = { stream: streamByName, deliveryStream: (name) => deliveryStreams.findByName(name) };
  }

  async create(app: NewApplication): Promise<ApplicationDescription> {
    this.check(app.sql, app.input, app.outputs);
    await this.checkDeliveryStream(app.input);
    const created = await this.repository.create(app);
    if (!created) throw inUse(`Application ${app.name} already exists`);
    this.announce();
    return this.describeStored(created);
  }

  async list(): Promise<ApplicationDescription[]> {
    return (await this.repository.list()).map((a) => this.describeStored(a));
  }

  async describe(name: string): Promise<ApplicationDescription> {
    return this.describeStored(await this.get(name));
  }

  async update(name: string, change: ApplicationUpdate): Promise<ApplicationDescription> {
    const current = await this.get(name);
    const input = change.input ?? analyticsInput.parse(current.input);
    const outputs = change.outputs ?? current.outputs.map((o) => analyticsOutput.parse(o));
    this.check(change.sql ?? current.sql, input, outputs);
    if (change.input) await this.checkDeliveryStream(change.input);
    const updated = await this.repository.update(name, change);
    if (!updated) throw notFound(`Application ${name} not found`);
    this.announce();
    return this.describeStored(updated);
  }

  /** READY or STOPPED -> STARTING; a runtime takes it and turns it RUNNING. */
  async start(name: string, startingPosition: StartingPosition): Promise<ApplicationDescription> {
    const current = await this.get(name);
    if (current.status === 'STARTING' || current.status === 'RUNNING') throw inUse(`Application ${name} is already ${current.status}`);
    if (startingPosition === 'LAST_STOPPED_POINT' && !current.checkpoint) throw validationError(`Application ${name} has never run: there is no last stopped point`);
    const started = await this.repository.setStatus(name, 'STARTING', startingPosition);
    this.announce();
    return this.describeStored(started ?? current);
  }

  /** Stops the application; its runner stores a final checkpoint (resume with LAST_STOPPED_POINT). */
  async stop(name: string): Promise<ApplicationDescription> {
    const current = await this.get(name);
    if (current.status !== 'STARTING' && current.status !== 'RUNNING') throw inUse(`Application ${name} is not running (${current.status})`);
    const stopped = await this.repository.setStatus(name, 'STOPPED');
    this.announce();
    return this.describeStored(stopped ?? current);
  }

  async delete(name: string): Promise<void> {
    const current = await this.get(name);
    if (!(await this.repository.delete(name))) throw notFound(`Application ${name} not found`);
    // Its hold on a direct-put input goes too (a runner still stopping may renew it: the hold then lapses).
    await this.readers.release(readerOf(current.id));
    this.announce();
  }

  /** Runs SQL (an application's, or one SELECT) over the live input for a while; nothing is stored. */
  async preview(request: PreviewRequest): Promise<PreviewResult> {
    return preview({ nc: this.nc, lookups: this.lookups, ...(this.databaseUrl ? { databaseUrl: this.databaseUrl } : {}), ...(this.keys ? { keys: this.keys } : {}) }, request);
  }

  /** Infers an input mapping from a sample of a delivery stream's stored records (from TRIM_HORIZON). */
  async discover(deliveryStreamName: string, sampleSize: number, format?: DiscoveredFormat): Promise<DiscoveredSchema> {
    const source = await resolveInput({ deliveryStreamName }, this.lookups);
    if (!source) throw notFound(`Delivery stream ${deliveryStreamName} not found`);
    return discoverSchema(await sampleInput(this.nc, source, sampleSize, this.keys), format);
  }

  /** The in-application streams of an application, to check a live view's stream name. */
  async streams(name: string): Promise<string[]> {
    return this.describeStored(await this.get(name)).inAppStreams;
  }

  /** A delivery stream input must exist (streams may come later: an application waits for its stream). */
  private async checkDeliveryStream(input: AnalyticsInput): Promise<void> {
    const name = input.deliveryStreamName;
    if (name !== undefined && !(await this.lookups.deliveryStream(name))) throw notFound(`Delivery stream ${name} not found`);
  }

  private async get(name: string): Promise<StoredAnalyticsApplication> {
    const found = await this.repository.byName(name);
    if (!found) throw notFound(`Application ${name} not found`);
    return found;
  }

  /** Compiles the SQL (SqlError on a mistake) and checks every output's stream exists; returns the in-app streams. */
  private check(sql: string, input: AnalyticsInput, outputs: readonly AnalyticsOutput[]): string[] {
    if (input.time.kind === 'eventColumn') {
      const column = input.time.column;
      if (!column || !input.columns.some((c) => c.name === column)) throw validationError(`input.time.column must name one of the input's columns`);
    }
    const streams = inAppStreams(sql, input);
    for (const output of outputs) {
      const name = output.inAppStream;
      if (![...streams, ERROR_STREAM, LATE_STREAM].some((s) => s.toUpperCase() === name.toUpperCase())) {
        throw validationError(`Output ${output.kind} names ${name}, which the SQL does not declare (streams: ${streams.join(', ') || 'none'})`);
      }
    }
    return streams;
  }

  private describeStored(app: StoredAnalyticsApplication): ApplicationDescription {
    const input = analyticsInput.parse(app.input);
    const checkpoint = app.checkpoint as { positions: Record<string, number>; savedAt: number } | null;
    let streams: string[] = [];
    try {
      streams = inAppStreams(app.sql, input);
    } catch {
      // Stored SQL always compiled; should the SQL library change its rules, describe still answers.
    }
    return {
      name: app.name,
      description: app.description,
      input,
      sql: app.sql,
      version: app.version,
      outputs: app.outputs.map((o) => analyticsOutput.parse(o)),
      status: app.status,
      startingPosition: (app.startingPosition as StartingPosition | null) ?? null,
      inAppStreams: streams,
      checkpoint: checkpoint?.positions ? { positions: checkpoint.positions, savedAt: new Date(checkpoint.savedAt).toISOString() } : null,
      createdAt: app.createdAt.toISOString(),
      updatedAt: app.updatedAt.toISOString(),
    };
  }

  private announce(): void {
    this.nc.publish(ANALYTICS_CHANGED_SUBJECT);
  }
}

function inAppStreams(sql: string, input: AnalyticsInput): string[] {
  const app = compileStored(sql, input);
  return [...app.plan.streams.values()].filter((s) => s.kind === 'in-application').map((s) => s.name);
}
