import { randomUUID } from 'node:crypto';
import {
  evenHashKeyRanges,
  inUse,
  invalidArgument,
  limitExceeded,
  notFound,
  shardIdOf,
  shardStartingSequenceNumber,
} from '@shardline/protocol';
import { nextShardLevelMetrics } from '@shardline/protocol';
import type { AccountLimits, MonitoringChange, Stream, StreamMode, StreamRef, Tag } from '@shardline/protocol';
import type { StreamRepository } from '@shardline/metadata';
import type { ShardStore } from '@shardline/messaging';
import type { PlatformConfig } from '../config';
import { KeyStore } from '../encryption/key-store';

const MAX_TAGS = 50;

/** Publishes that a stream's metadata changed, so caches everywhere drop it. */
export type ChangeNotifier = (streamId: string) => void;

/**
 * The control plane of streams: create, delete, retention and tags, against Postgres
 * (metadata) and JetStream (each shard's storage).
 */
export class StreamService {
  constructor(
    private readonly repository: StreamRepository,
    private readonly store: ShardStore,
    private readonly config: PlatformConfig,
    private readonly notify: ChangeNotifier,
    private readonly now: () => number = Date.now,
    private readonly keys: KeyStore = KeyStore.fromJson(config.kmsKeys, config.region, config.accountId),
  ) {}

  async create(input: { name: string; shardCount: number; mode: StreamMode; tags?: Tag[] }): Promise<Stream> {
    const open = await this.repository.countOpenShards();
    if (open + input.shardCount > this.config.maxShards) {
      throw limitExceeded(
        `This request would exceed the shard limit for the account ${this.config.accountId} in ${this.config.region}. ` +
          `Current limit of shards is ${this.config.maxShards}. Number of additional shards that would have resulted in ` +
          `exceeding the shard limit is ${open + input.shardCount - this.config.maxShards}.`,
      );
    }
    const stream = await this.repository.create({
      id: randomUUID(),
      name: input.name,
      arn: `arn:aws:kinesis:${this.config.region}:${this.config.accountId}:stream/${input.name}`,
      mode: input.mode,
      retentionHours: 24,
      readyAt: new Date(this.now() + this.config.createDelayMs),
      shards: evenHashKeyRanges(input.shardCount).map((range, index) => ({
        index,
        shardId: shardIdOf(index),
        hashKeyStart: range.start,
        hashKeyEnd: range.end,
        startingSequenceNumber: shardStartingSequenceNumber(index),
      })),
      tags: input.tags ?? [],
    });
    await Promise.all(stream.shards.map((s) => this.store.ensure({ streamId: stream.id, shardIndex: s.index }, 24)));
    this.notify(stream.id);
    return stream;
  }

  async delete(ref: StreamRef): Promise<void> {
    const stream = await this.find(ref);
    if (stream.status === 'DELETING') return;
    await this.repository.markDeleting(stream.id, new Date(this.now() + this.config.deleteDelayMs));
    this.notify(stream.id);
  }

  async find(ref: StreamRef): Promise<Stream> {
    const stream = ref.arn ? await this.repository.findByArn(ref.arn) : await this.repository.findByName(ref.name ?? '');
    if (!stream) throw notFound(`Stream ${ref.name ?? ref.arn} under account ${this.config.accountId} not found.`);
    return stream;
  }

  async setRetention(ref: StreamRef, hours: number, direction: 'increase' | 'decrease'): Promise<void> {
    const stream = await this.active(ref);
    checkRetention(stream, hours, direction);
    await this.repository.setRetention(stream.id, hours);
    await Promise.all(stream.shards.map((s) => this.store.setRetention({ streamId: stream.id, shardIndex: s.index }, hours)));
    this.notify(stream.id);
  }

  /** UpdateMaxRecordSize: the stream must be ACTIVE, as for every stream update. */
  async setMaxRecordSize(ref: StreamRef, kib: number): Promise<void> {
    const stream = await this.active(ref);
    await this.repository.setMaxRecordSize(stream.id, kib);
    this.notify(stream.id);
  }

  async addTags(ref: StreamRef, tags: Tag[]): Promise<void> {
    const stream = await this.find(ref);
    const existing = new Set((await this.repository.listTags(stream.id)).map((t) => t.key));
    const added = tags.filter((t) => !existing.has(t.key)).length;
    if (existing.size + added > MAX_TAGS) {
      throw invalidArgument(
        `Failed to add tags to stream ${stream.name} under account ${this.config.accountId} because a given stream ` +
          `cannot have more than ${MAX_TAGS} tags associated with it.`,
      );
    }
    await this.repository.addTags(stream.id, tags);
  }

  async removeTags(ref: StreamRef, keys: string[]): Promise<void> {
    await this.repository.removeTags((await this.find(ref)).id, keys);
  }

  async listTags(ref: StreamRef): Promise<Tag[]> {
    return this.repository.listTags((await this.find(ref)).id);
  }

  async describeLimits(): Promise<AccountLimits> {
    const [openShardCount, onDemandStreamCount] = await Promise.all([
      this.repository.countOpenShards(),
      this.repository.countStreams('ON_DEMAND'),
    ]);
    return {
      shardLimit: this.config.maxShards,
      openShardCount,
      onDemandStreamCount,
      onDemandStreamCountLimit: this.config.maxOnDemandStreams,
    };
  }

  /** Enable/DisableEnhancedMonitoring: metrics are stored (and shown by DescribeStream); no metric is emitted per shard yet. */
  async updateShardLevelMetrics(ref: StreamRef, metrics: string[], action: 'enable' | 'disable'): Promise<MonitoringChange> {
    const stream = await this.active(ref);
    const desired = nextShardLevelMetrics(stream.enhancedMonitoring, metrics, action);
    await this.repository.setShardLevelMetrics(stream.id, desired);
    this.notify(stream.id);
    return { streamName: stream.name, streamArn: stream.arn, current: stream.enhancedMonitoring, desired };
  }

  /** New records are sealed under the key `keyId` names, from the next put on (every gateway drops its cached stream). */
  async startEncryption(ref: StreamRef, keyId: string): Promise<void> {
    const stream = await this.active(ref);
    this.keys.resolve(keyId);
    await this.repository.setEncryption(stream.id, 'KMS', keyId);
    this.notify(stream.id);
  }

  async stopEncryption(ref: StreamRef, keyId: string): Promise<void> {
    const stream = await this.active(ref);
    this.keys.resolve(keyId);
    await this.repository.setEncryption(stream.id, 'NONE', null);
    this.notify(stream.id);
  }

  /** Removes streams whose deletion has finished, with their JetStream storage. */
  async sweep(): Promise<void> {
    for (const stream of await this.repository.purgeGone()) {
      await Promise.all(stream.shards.map((s) => this.store.remove({ streamId: stream.id, shardIndex: s.index })));
      this.notify(stream.id);
    }
  }

  private async active(ref: StreamRef): Promise<Stream> {
    const stream = await this.find(ref);
    if (stream.status !== 'ACTIVE') {
      throw inUse(`Stream ${stream.name} under account ${this.config.accountId} not ACTIVE, instead in state ${stream.status}`);
    }
    return stream;
  }
}

function checkRetention(stream: Stream, hours: number, direction: 'increase' | 'decrease'): void {
  if (hours < 24) {
    throw invalidArgument(`Minimum allowed retention period is 24 hours. Requested retention period (${hours} hours) is too short.`);
  }
  if (hours > 8760) {
    throw invalidArgument(`Maximum allowed retention period is 8760 hours. Requested retention period (${hours} hours) is too long.`);
  }
  const current = stream.retentionHours;
  if (direction === 'increase' && hours < current) {
    throw invalidArgument(
      `Requested retention period (${hours} hours) for stream ${stream.name} can not be shorter than existing ` +
        `retention period (${current} hours). Use DecreaseRetentionPeriod API.`,
    );
  }
  if (direction === 'decrease' && hours > current) {
    throw invalidArgument(
      `Requested retention period (${hours} hours) for stream ${stream.name} can not be longer than existing ` +
        `retention period (${current} hours). Use IncreaseRetentionPeriod API.`,
    );
  }
}
