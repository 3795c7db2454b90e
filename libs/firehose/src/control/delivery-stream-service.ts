/**
 * The Firehose control plane and direct-put ingest behind the `FirehoseBackend` port:
 * delivery streams in Postgres (DeliveryStreamRepository), their records in JetStream
 * (DirectPutStore). Every change is announced on DELIVERY_STREAM_CHANGED_SUBJECT (body: the
 * delivery stream id) so gateways drop their cache and delivery runtimes reload.
 *
 * Lifecycle, as AWS shows it: CREATING for `createDelayMs` (the JetStream stream of a
 * direct-put delivery stream exists before the answer, so it exists before ACTIVE), then
 * ACTIVE; DeleteDeliveryStream shows DELETING for `deleteDelayMs`, then the storage and the
 * row go. Encryption shows ENABLING / DISABLING for `encryptionDelayMs`.
 */
import {
  concurrentModification,
  invalidArgument,
  inUse,
  ShardlineError,
  MAX_DELIVERY_STREAM_TAGS,
  normalizeDestination,
  notFound,
  parseSchemaTag,
  type DeliveryDestination,
  type DeliveryStream,
  type DeliveryStreamPage,
  type DeliveryStreamType,
  type EncryptionKeyType,
  type FirehoseBackend,
  type FirehoseRecordResult,
  type FirehoseTag,
  type NewDeliveryStream,
  type ProcessingConfiguration,
} from '@shardline/protocol';
import { SpanKind } from '@opentelemetry/api';
import { traceparentOf, withSpan } from '@shardline/telemetry';
import type { DataKey } from '@shardline/messaging';
import type { DeliveryStreamRepository } from '@shardline/metadata';
import type { DirectPutStore } from '../ingest/direct-put-store';
import type { DeliveryStreamDirectory } from './delivery-stream-directory';
import { destinationChecks, type DestinationValidators } from './destination-validators';

/** The tag that carries a Parquet schema for clients that cannot send SchemaConfiguration.Columns. */
export const SCHEMA_TAG = 'shardline:schema';

export interface DeliveryStreamServiceOptions {
  accountId: string;
  createDelayMs: number;
  deleteDelayMs: number;
  encryptionDelayMs: number;
  now: () => number;
}

export interface DeliveryStreamServiceDeps {
  repository: DeliveryStreamRepository;
  store: DirectPutStore;
  directory: DeliveryStreamDirectory;
  /** The Shardline stream behind a Kinesis stream ARN, if it exists. */
  findSourceStream(arn: string): Promise<{ id: string } | undefined>;
  /** Tells every process that this delivery stream changed. */
  announce(id: string): void;
  validators: DestinationValidators;
  /** Seals direct-put records of encrypted delivery streams (the platform's data keys); unset: stored in plaintext. */
  dataKeys?: { forWriting(keyId: string): DataKey };
}

/**
 * The master key of AWS_OWNED_CMK encryption: the platform's built-in development key (or
 * what SHARDLINE_KMS_KEYS maps the alias to), the one AWS-managed Kinesis encryption uses.
 */
export const AWS_OWNED_KEY = 'alias/aws/kinesis';

export class DeliveryStreamService implements FirehoseBackend {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly deps: DeliveryStreamServiceDeps,
    private readonly options: DeliveryStreamServiceOptions,
  ) {}

  async create(input: NewDeliveryStream): Promise<DeliveryStream> {
    const { repository, store } = this.deps;
    const destination = await this.normalize(input.destination, input.tags ?? []);
    let source: { kinesisStreamArn: string; roleArn: string; streamId: string } | undefined;
    if (input.source) {
      const stream = await this.deps.findSourceStream(input.source.kinesisStreamArn);
      if (!stream) throw invalidArgument(`Kinesis stream ${input.source.kinesisStreamArn} does not exist.`);
      source = { ...input.source, streamId: stream.id };
    }
    const { source: _given, ...rest } = input;
    const delay = this.options.createDelayMs;
    const activeAt = new Date(this.options.now() + delay);
    const created = await repository.create({ ...rest, destination, ...(source ? { source } : {}), activeAt });
    if (created.type === 'DirectPut') {
      try {
        await store.ensure(created.id);
        // CREATING lasts the whole delay after the storage exists, however long creating it took.
        await repository.setActiveAt(created.id, new Date(this.options.now() + delay));
      } catch (err) {
        await repository.remove([created.id]);
        throw err;
      }
    }
    this.deps.announce(created.id);
    // Runtimes that cached it as CREATING hear when it turns ACTIVE.
    this.later(this.options.createDelayMs, () => this.deps.announce(created.id));
    return created;
  }

  async delete(name: string): Promise<void> {
    const stream = await this.existing(name);
    if (stream.status === 'CREATING') {
      throw inUse(`Firehose ${name} under account ${this.options.accountId} is in CREATING state and cannot be deleted yet.`);
    }
    if (!(await this.deps.repository.markDeleting(stream.id, new Date(this.options.now() + this.options.deleteDelayMs)))) return;
    this.deps.directory.invalidate(stream.id);
    this.deps.announce(stream.id);
    this.later(this.options.deleteDelayMs, () => this.sweep());
  }

  describe(name: string): Promise<DeliveryStream> {
    return this.existing(name);
  }

  list(input: { limit: number; type?: DeliveryStreamType; exclusiveStartName?: string }): Promise<DeliveryStreamPage> {
    return this.deps.repository.list(input);
  }

  async updateDestination(name: string, expectedVersionId: number, destination: DeliveryDestination): Promise<void> {
    const stream = await this.existing(name);
    if (stream.versionId !== expectedVersionId) throw this.versionMismatch(name, stream.versionId, expectedVersionId);
    const normalized = await this.normalize(destination, await this.deps.repository.listTags(stream.id));
    if (!(await this.deps.repository.updateDestination(stream.id, expectedVersionId, normalized))) {
      const now = await this.existing(name);
      throw this.versionMismatch(name, now.versionId, expectedVersionId);
    }
    this.deps.directory.invalidate(stream.id);
    this.deps.announce(stream.id);
  }

  /** The put path: cached lookup, one JetStream publish per request where it fits, acks awaited. */
  async putRecords(name: string, records: readonly Buffer[]): Promise<{ results: FirehoseRecordResult[]; encrypted: boolean }> {
    const stream = await this.deps.directory.get(name);
    // AWS answers a delivery stream that is not ACTIVE (yet, or any more) as one it cannot find.
    if (!stream || stream.status !== 'ACTIVE') throw this.notFound(name);
    if (stream.type === 'KinesisStreamAsSource') {
      throw invalidArgument('This operation is not permitted on KinesisStreamAsSource delivery stream type.');
    }
    const status = stream.encryption.status;
    const encrypted = status === 'ENABLED' || status === 'ENABLING';
    const dataKey = encrypted ? this.deps.dataKeys?.forWriting(stream.encryption.keyArn ?? AWS_OWNED_KEY) : undefined;
    const attributes = { 'shardline.delivery_stream': name, 'shardline.records': records.length };
    const results = await withSpan('firehose.putRecordBatch', attributes, (_span, trace) => this.deps.store.put(stream.id, records, dataKey, traceparentOf(trace)), {
      kind: SpanKind.SERVER,
    });
    return { results, encrypted };
  }

  async tag(name: string, tags: FirehoseTag[]): Promise<void> {
    const stream = await this.existing(name);
    await this.deps.repository.addTags(stream.id, name, tags, MAX_DELIVERY_STREAM_TAGS);
  }

  async untag(name: string, keys: string[]): Promise<void> {
    const stream = await this.existing(name);
    await this.deps.repository.removeTags(stream.id, keys);
  }

  async listTags(name: string): Promise<FirehoseTag[]> {
    return this.deps.repository.listTags((await this.existing(name)).id);
  }

  async startEncryption(name: string, key: { keyType: EncryptionKeyType; keyArn?: string }): Promise<void> {
    const stream = await this.existing(name);
    if (stream.type === 'KinesisStreamAsSource') {
      throw invalidArgument('Server-side encryption is not supported for delivery streams whose source is a Kinesis data stream.');
    }
    this.requireActive(stream);
    if (key.keyType === 'CUSTOMER_MANAGED_CMK') this.checkKey(key.keyArn);
    await this.deps.repository.setEncryption(stream.id, true, new Date(this.options.now() + this.options.encryptionDelayMs), key);
    this.deps.directory.invalidate(stream.id);
    this.deps.announce(stream.id);
  }

  /** A customer-managed key must be one the platform holds (SHARDLINE_KMS_KEYS). */
  private checkKey(keyArn: string | undefined): void {
    if (!this.deps.dataKeys) return;
    try {
      this.deps.dataKeys.forWriting(keyArn ?? '');
    } catch (err) {
      throw new ShardlineError('InvalidKMSResourceException', `KMS key ${keyArn ?? '(none)'} is not usable: ${(err as Error).message}`);
    }
  }

  async stopEncryption(name: string): Promise<void> {
    const stream = await this.existing(name);
    this.requireActive(stream);
    if (stream.encryption.status === 'DISABLED' || stream.encryption.status === 'DISABLING') return;
    await this.deps.repository.setEncryption(stream.id, false, new Date(this.options.now() + this.options.encryptionDelayMs));
    this.deps.directory.invalidate(stream.id);
    this.deps.announce(stream.id);
  }

  /** Removes the storage and rows of delivery streams past DELETING (also catches up after a restart). */
  async sweep(): Promise<void> {
    const ids = await this.deps.repository.goneIds();
    for (const id of ids) await this.deps.store.remove(id);
    await this.deps.repository.remove(ids);
    for (const id of ids) this.deps.announce(id);
  }

  /** Stops pending timers (a restarted service's sweep finishes deletions). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async normalize(destination: DeliveryDestination, tags: FirehoseTag[]): Promise<DeliveryDestination> {
    const schema = tags.find((tag) => tag.key === SCHEMA_TAG)?.value;
    const config = destination.config as { ProcessingConfiguration?: ProcessingConfiguration; DynamicPartitioningConfiguration?: { Enabled?: boolean } };
    if (config.ProcessingConfiguration) {
      await this.deps.validators.validateProcessing?.(config.ProcessingConfiguration, config.DynamicPartitioningConfiguration?.Enabled ?? false);
    }
    return normalizeDestination(
      destination,
      destinationChecks(this.deps.validators, schema === undefined ? undefined : () => parseSchemaTag(schema)),
    );
  }

  private async existing(name: string): Promise<DeliveryStream> {
    const stream = await this.deps.repository.findByName(name);
    if (!stream) throw this.notFound(name);
    return stream;
  }

  private requireActive(stream: DeliveryStream): void {
    if (stream.status !== 'ACTIVE') {
      throw inUse(`Firehose ${stream.name} under account ${this.options.accountId} is not ACTIVE; it is ${stream.status}.`);
    }
  }

  private notFound(name: string) {
    return notFound(`Firehose ${name} under account ${this.options.accountId} not found.`);
  }

  private versionMismatch(name: string, current: number, given: number) {
    return concurrentModification(
      `Cannot update firehose: ${name} since the current version id: ${current} and the specified version id: ${given} do not match`,
    );
  }

  private later(ms: number, task: () => unknown): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void Promise.resolve()
        .then(task)
        .catch(() => undefined);
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}
