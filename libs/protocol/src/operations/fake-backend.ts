/**
 * In-memory KinesisBackend for unit tests of the operations: a real (small) implementation
 * of the port, not a mock. It remembers the last calls so a test can check the mapping.
 */
import type {
  AccountLimits,
  Consumer,
  ConsumerRef,
  GetRecordsResult,
  IteratorRequest,
  KinesisBackend,
  MonitoringChange,
  PutRecordEntry,
  PutRecordResult,
  PutRecordsOutcome,
  ResourceRef,
  Shard,
  ShardCountUpdate,
  ShardEvent,
  ShardEventStream,
  Stream,
  StreamMode,
  StreamRef,
  Tag,
} from '../domain';
import { ShardlineError, inUse, notFound } from '../errors';
import { mergePlan, splitPlan, uniformScalingPlan, type ReshardPlan } from '../reshard-plan';
import { nextShardLevelMetrics } from './enhanced-monitoring';

const MAX_HASH = (1n << 128n) - 1n;

/** Shards splitting the hash space evenly, as CreateStream makes them. */
export function evenShards(count: number): Shard[] {
  const width = (MAX_HASH + 1n) / BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    shardId: `shardId-${String(i).padStart(12, '0')}`,
    index: i,
    hashKeyStart: width * BigInt(i),
    hashKeyEnd: i === count - 1 ? MAX_HASH : width * BigInt(i + 1) - 1n,
    startingSequenceNumber: `${i}0000`,
    status: 'OPEN' as const,
  }));
}

export class FakeKinesisBackend implements KinesisBackend {
  readonly streams = new Map<string, Stream>();
  readonly tags = new Map<string, Tag[]>();
  /** Policy documents by resource ARN. */
  readonly policies = new Map<string, string>();
  putResults: PutRecordResult[] | undefined;
  getRecordsResult: GetRecordsResult = { records: [], nextShardIterator: 'next', millisBehindLatest: 0 };
  lastCreate?: { name: string; shardCount: number; mode: StreamMode; tags?: Tag[] };
  lastDelete?: { ref: StreamRef; enforce: boolean };
  lastRetention?: { ref: StreamRef; hours: number; direction: 'increase' | 'decrease' };
  lastPut?: { ref: StreamRef; records: PutRecordEntry[] };
  lastIterator?: { ref: StreamRef; shardId: string; request: IteratorRequest };
  lastGetRecords?: { iterator: string; limit: number };
  lastListStreams?: { limit: number; exclusiveStartName?: string };
  lastReshard?: { op: string; ref: StreamRef; args: unknown[] };
  removedKeys?: string[];
  limits: AccountLimits = { shardLimit: 500, openShardCount: 0, onDemandStreamCount: 0, onDemandStreamCountLimit: 50 };
  /** Key ids StartStreamEncryption accepts (others are KMSNotFoundException). */
  readonly knownKeys = new Set(['alias/aws/kinesis']);
  readonly consumers: Consumer[] = [];
  lastConsumerTags?: Tag[];
  /** Events the next subscribeToShard yields. */
  subscriptionEvents: ShardEvent[] = [];
  /** An error the subscription throws after its events. */
  subscriptionError?: Error;
  lastSubscribe?: { consumerArn: string; shardId: string; start: IteratorRequest };

  constructor(private readonly now: Date = new Date('2024-01-01T00:00:00.123Z')) {}

  addStream(name: string, shards: Shard[] = evenShards(1), extra: Partial<Stream> = {}): Stream {
    const stream: Stream = {
      id: `id-${name}`,
      name,
      arn: `arn:aws:kinesis:us-east-1:123456789012:stream/${name}`,
      status: 'ACTIVE',
      mode: 'PROVISIONED',
      retentionHours: 24,
      createdAt: this.now,
      encryptionType: 'NONE',
      shards,
      consumerCount: 0,
      enhancedMonitoring: [],
      ...extra,
    };
    this.streams.set(name, stream);
    return stream;
  }

  private find(ref: StreamRef): Stream {
    const name = ref.name ?? ref.arn?.split('/').pop() ?? '';
    const stream = this.streams.get(name);
    if (!stream || (ref.arn !== undefined && stream.arn !== ref.arn)) throw notFound(`Stream ${name} not found.`);
    return stream;
  }

  async createStream(input: { name: string; shardCount: number; mode: StreamMode; tags?: Tag[] }): Promise<void> {
    this.lastCreate = input;
    this.addStream(input.name, evenShards(input.shardCount), { mode: input.mode, status: 'CREATING' });
  }

  async deleteStream(ref: StreamRef, enforce: boolean): Promise<void> {
    this.lastDelete = { ref, enforce };
    this.streams.delete(this.find(ref).name);
  }

  async describeStream(ref: StreamRef): Promise<Stream> {
    return this.find(ref);
  }

  async listStreams(input: { limit: number; exclusiveStartName?: string }): Promise<{ streams: Stream[]; hasMore: boolean }> {
    this.lastListStreams = input;
    const start = input.exclusiveStartName;
    const all = [...this.streams.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .filter((stream) => start === undefined || stream.name > start);
    return { streams: all.slice(0, input.limit), hasMore: all.length > input.limit };
  }

  async setRetention(ref: StreamRef, hours: number, direction: 'increase' | 'decrease'): Promise<void> {
    this.lastRetention = { ref, hours, direction };
    this.find(ref).retentionHours = hours;
  }

  async addTags(ref: StreamRef, tags: Tag[]): Promise<void> {
    const name = this.find(ref).name;
    const kept = (this.tags.get(name) ?? []).filter((tag) => !tags.some((t) => t.key === tag.key));
    this.tags.set(name, [...kept, ...tags].sort((a, b) => (a.key < b.key ? -1 : 1)));
  }

  async removeTags(ref: StreamRef, keys: string[]): Promise<void> {
    this.removedKeys = keys;
    const name = this.find(ref).name;
    this.tags.set(name, (this.tags.get(name) ?? []).filter((tag) => !keys.includes(tag.key)));
  }

  async listTags(ref: StreamRef): Promise<Tag[]> {
    return this.tags.get(this.find(ref).name) ?? [];
  }

  async putRecords(ref: StreamRef, records: PutRecordEntry[]): Promise<PutRecordsOutcome> {
    const stream = this.find(ref);
    this.lastPut = { ref, records };
    return {
      records: this.putResults ?? records.map((_, i) => ({ shardId: 'shardId-000000000000', sequenceNumber: `${1000 + i}` })),
      encryptionType: stream.encryptionType,
    };
  }

  async getShardIterator(ref: StreamRef, shardId: string, request: IteratorRequest): Promise<string> {
    this.find(ref);
    this.lastIterator = { ref, shardId, request };
    return `iterator:${shardId}:${request.type}`;
  }

  async getRecords(iterator: string, limit: number): Promise<GetRecordsResult> {
    this.lastGetRecords = { iterator, limit };
    return this.getRecordsResult;
  }

  async splitShard(ref: StreamRef, shardToSplit: string, newStartingHashKey: bigint): Promise<void> {
    this.lastReshard = { op: 'split', ref, args: [shardToSplit, newStartingHashKey] };
    const stream = this.find(ref);
    this.apply(stream, splitPlan(this.shard(stream, shardToSplit), newStartingHashKey, stream.shards.length));
  }

  async mergeShards(ref: StreamRef, shardToMerge: string, adjacentShardToMerge: string): Promise<void> {
    this.lastReshard = { op: 'merge', ref, args: [shardToMerge, adjacentShardToMerge] };
    const stream = this.find(ref);
    const plan = mergePlan(this.shard(stream, shardToMerge), this.shard(stream, adjacentShardToMerge), stream.shards.length);
    this.apply(stream, plan);
  }

  async updateShardCount(ref: StreamRef, targetShardCount: number): Promise<ShardCountUpdate> {
    this.lastReshard = { op: 'updateShardCount', ref, args: [targetShardCount] };
    const stream = this.find(ref);
    const open = stream.shards.filter((s) => s.status === 'OPEN');
    this.apply(stream, uniformScalingPlan(open, targetShardCount, stream.shards.length));
    return { currentShardCount: open.length, targetShardCount, streamName: stream.name, streamArn: stream.arn };
  }

  async updateStreamMode(ref: StreamRef, mode: StreamMode): Promise<void> {
    this.lastReshard = { op: 'updateStreamMode', ref, args: [mode] };
    this.find(ref).mode = mode;
  }

  private shard(stream: Stream, shardId: string): Shard {
    const shard = stream.shards.find((s) => s.shardId === shardId);
    if (!shard) throw notFound(`Could not find shard ${shardId} in stream ${stream.name}.`);
    return shard;
  }

  private apply(stream: Stream, plan: ReshardPlan): void {
    for (const shard of stream.shards) if (plan.close.includes(shard.shardId)) shard.status = 'CLOSED';
    for (const planned of plan.create) {
      const { open, ...rest } = planned;
      stream.shards.push({ ...rest, startingSequenceNumber: `${planned.index}0000`, status: open ? 'OPEN' : 'CLOSED' });
    }
  }

  async updateMaxRecordSize(ref: StreamRef, maxRecordSizeKiB: number): Promise<void> {
    this.find(ref).maxRecordSizeKiB = maxRecordSizeKiB;
  }

  /** Streams only: like the real backend, a consumer ARN names nothing here. */
  private resource(resource: ResourceRef): StreamRef {
    if (resource.kind === 'consumer') throw notFound(`Consumer ${resource.arn} not found.`);
    this.find({ arn: resource.arn });
    return { arn: resource.arn };
  }

  async tagResource(resource: ResourceRef, tags: Tag[]): Promise<void> {
    await this.addTags(this.resource(resource), tags);
  }

  async untagResource(resource: ResourceRef, keys: string[]): Promise<void> {
    await this.removeTags(this.resource(resource), keys);
  }

  async listResourceTags(resource: ResourceRef): Promise<Tag[]> {
    return this.listTags(this.resource(resource));
  }

  async putResourcePolicy(resource: ResourceRef, policy: string): Promise<void> {
    this.resource(resource);
    this.policies.set(resource.arn, policy);
  }

  async getResourcePolicy(resource: ResourceRef): Promise<string | undefined> {
    this.resource(resource);
    return this.policies.get(resource.arn);
  }

  async deleteResourcePolicy(resource: ResourceRef): Promise<void> {
    this.resource(resource);
    this.policies.delete(resource.arn);
  }

  async describeLimits(): Promise<AccountLimits> {
    return this.limits;
  }

  async updateShardLevelMetrics(ref: StreamRef, metrics: string[], action: 'enable' | 'disable'): Promise<MonitoringChange> {
    const stream = this.find(ref);
    const current = stream.enhancedMonitoring;
    stream.enhancedMonitoring = nextShardLevelMetrics(current, metrics, action);
    return { streamName: stream.name, streamArn: stream.arn, current, desired: stream.enhancedMonitoring };
  }

  async startEncryption(ref: StreamRef, keyId: string): Promise<void> {
    const stream = this.find(ref);
    if (!this.knownKeys.has(keyId)) throw new ShardlineError('KMSNotFoundException', `Invalid keyId '${keyId}'`);
    stream.encryptionType = 'KMS';
    stream.keyId = keyId;
  }

  async stopEncryption(ref: StreamRef, _keyId: string): Promise<void> {
    const stream = this.find(ref);
    stream.encryptionType = 'NONE';
    delete stream.keyId;
  }

  async registerConsumer(streamArn: string, name: string, tags?: Tag[]): Promise<Consumer> {
    this.lastConsumerTags = tags;
    this.find({ arn: streamArn });
    if (this.consumers.some((c) => c.streamArn === streamArn && c.name === name)) throw inUse(`Consumer ${name} exists`);
    const consumer: Consumer = {
      name,
      arn: `${streamArn}/consumer/${name}:${Math.floor(this.now.getTime() / 1000)}`,
      status: 'CREATING',
      createdAt: this.now,
      streamArn,
    };
    this.consumers.push(consumer);
    return consumer;
  }

  async describeConsumer(ref: ConsumerRef): Promise<Consumer> {
    const consumer = this.consumers.find((c) => c.arn === ref.arn || (c.streamArn === ref.streamArn && c.name === ref.name));
    if (!consumer) throw notFound('Consumer not found.');
    return consumer;
  }

  async listConsumers(streamArn: string, input: { limit: number; exclusiveStartName?: string }) {
    const start = input.exclusiveStartName;
    const all = this.consumers
      .filter((c) => c.streamArn === streamArn && (start === undefined || c.name > start))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    return { consumers: all.slice(0, input.limit), hasMore: all.length > input.limit };
  }

  async deregisterConsumer(ref: ConsumerRef): Promise<void> {
    const consumer = await this.describeConsumer(ref);
    this.consumers.splice(this.consumers.indexOf(consumer), 1);
  }

  async subscribeToShard(consumerArn: string, shardId: string, start: IteratorRequest): Promise<ShardEventStream> {
    this.lastSubscribe = { consumerArn, shardId, start };
    const events = this.subscriptionEvents;
    const error = this.subscriptionError;
    return {
      close: () => undefined,
      async *[Symbol.asyncIterator]() {
        yield* events;
        if (error) throw error;
      },
    };
  }
}
