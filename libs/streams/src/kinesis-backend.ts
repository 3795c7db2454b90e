import { SpanKind, type Context } from '@opentelemetry/api';
import { notFound, shardIdOf } from '@shardline/protocol';
import type {
  AccountLimits,
  Consumer,
  ConsumerRef,
  GetRecordsResult,
  IteratorRequest,
  KinesisBackend,
  MonitoringChange,
  PutRecordEntry,
  PutRecordsOutcome,
  RecordPosition,
  ResourceRef,
  Shard,
  ShardCountUpdate,
  ShardEventStream,
  ShardIteratorCodec,
  StoredRecord,
  Stream,
  StreamMode,
  StreamRef,
  Tag,
} from '@shardline/protocol';
import type { ShardStore } from '@shardline/messaging';
import type { ResourcePolicyRepository, StreamRepository } from '@shardline/metadata';
import { withSpan, type KinesisMetrics, type StreamMeters } from '@shardline/telemetry';
import type { Resharder } from './control/resharder';
import type { ConsumerService } from './control/consumer-service';
import type { StreamService } from './control/stream-service';
import type { FanOut } from './fanout/fan-out';
import type { RecordProducer } from './data/record-producer';
import type { StreamDirectory } from './data/stream-directory';
import type { ShardReader } from './data/shard-reader';
import { childShardsOf } from './data/child-shards';
import { startPosition } from './data/start-position';
import type { ReadThrottle } from './limits/read-throttle';

/** The dependencies of the backend, built by the apps' modules. */
export interface BackendParts {
  repository: StreamRepository;
  policies: ResourcePolicyRepository;
  streams: StreamService;
  resharder: Resharder;
  directory: StreamDirectory;
  producer: RecordProducer;
  reader: ShardReader;
  store: ShardStore;
  iterators: ShardIteratorCodec;
  consumers: ConsumerService;
  fanOut: FanOut;
  accountId: string;
  now: () => number;
  /** GetRecords limits of provisioned streams; absent when shard limits are off. */
  readThrottle?: ReadThrottle;
  /** Iterator age and read throttles per stream, when given. */
  metrics?: KinesisMetrics;
}

/** Kinesis Data Streams on Shardline: the port the Kinesis operations call. */
export class ShardlineKinesisBackend implements KinesisBackend {
  constructor(private readonly parts: BackendParts) {}

  async createStream(input: { name: string; shardCount: number; mode: StreamMode; tags?: Tag[] }): Promise<void> {
    await this.parts.streams.create(input);
  }

  async deleteStream(ref: StreamRef, enforceConsumerDeletion = false): Promise<void> {
    await this.parts.consumers.beforeStreamDeletion(await this.parts.streams.find(ref), enforceConsumerDeletion);
    return this.parts.streams.delete(ref);
  }

  describeStream(ref: StreamRef): Promise<Stream> {
    return this.parts.streams.find(ref);
  }

  listStreams(input: { limit: number; exclusiveStartName?: string }) {
    return this.parts.repository.list(input);
  }

  setRetention(ref: StreamRef, hours: number, direction: 'increase' | 'decrease'): Promise<void> {
    return this.parts.streams.setRetention(ref, hours, direction);
  }

  addTags(ref: StreamRef, tags: Tag[]): Promise<void> {
    return this.parts.streams.addTags(ref, tags);
  }

  removeTags(ref: StreamRef, keys: string[]): Promise<void> {
    return this.parts.streams.removeTags(ref, keys);
  }

  listTags(ref: StreamRef): Promise<Tag[]> {
    return this.parts.streams.listTags(ref);
  }

  /**
   * The root of a put's trace: a server span per PutRecord(s) call (an internal one under
   * `parent`, when an in-process producer such as an analytics output puts).
   */
  putRecords(ref: StreamRef, records: PutRecordEntry[], parent?: Context): Promise<PutRecordsOutcome> {
    const attributes = { 'shardline.stream': ref.name ?? ref.arn ?? '', 'shardline.records': records.length };
    return withSpan('kinesis.putRecords', attributes, (_span, trace) => this.parts.producer.put(ref, records, trace), {
      kind: parent ? SpanKind.INTERNAL : SpanKind.SERVER,
      ...(parent ? { parent } : {}),
    });
  }

  async getShardIterator(ref: StreamRef, shardId: string, request: IteratorRequest): Promise<string> {
    const { stream } = await this.parts.directory.active(ref);
    const shard = this.shardOf(stream, shardId);
    const position = await this.startPosition(stream, shard, request);
    return this.parts.iterators.encode({ streamId: stream.id, shardIndex: shard.index, position });
  }

  getRecords(shardIterator: string, limit: number): Promise<GetRecordsResult> {
    return withSpan('kinesis.getRecords', {}, async () => {
      const state = this.parts.iterators.decode(shardIterator);
      const stream = await this.parts.directory.byId(state.streamId);
      const shard = stream.shards.find((s) => s.index === state.shardIndex);
      if (!shard) throw notFound(`Shard ${shardIdOf(state.shardIndex)} in stream ${stream.name} does not exist.`);
      const address = { streamId: stream.id, shardIndex: shard.index };
      const meters = this.parts.metrics?.of(stream);
      const charge = this.admitRead(stream, shard, meters);
      const read = await this.parts.reader.read(address, state.position, limit);
      charge?.(read.records);
      meters?.read(shard.shardId, read.records.length, read.lastArrival === undefined ? 0 : Math.max(0, this.parts.now() - read.lastArrival));
      const closedAndRead = shard.status === 'CLOSED' && read.atTip;
      return {
        records: read.records,
        nextShardIterator: closedAndRead
          ? null
          : this.parts.iterators.encode({ streamId: stream.id, shardIndex: shard.index, position: read.next }),
        millisBehindLatest: read.atTip || read.lastArrival === undefined ? 0 : Math.max(0, this.parts.now() - read.lastArrival),
        childShards: closedAndRead ? childShardsOf(stream, shard) : undefined,
      };
    });
  }

  splitShard(ref: StreamRef, shardToSplit: string, newStartingHashKey: bigint): Promise<void> {
    return this.parts.resharder.split(ref, shardToSplit, newStartingHashKey);
  }

  mergeShards(ref: StreamRef, shardToMerge: string, adjacentShardToMerge: string): Promise<void> {
    return this.parts.resharder.merge(ref, shardToMerge, adjacentShardToMerge);
  }

  updateShardCount(ref: StreamRef, targetShardCount: number): Promise<ShardCountUpdate> {
    return this.parts.resharder.updateShardCount(ref, targetShardCount);
  }

  updateStreamMode(ref: StreamRef, mode: StreamMode): Promise<void> {
    return this.parts.resharder.updateMode(ref, mode);
  }

  updateMaxRecordSize(ref: StreamRef, maxRecordSizeKiB: number): Promise<void> {
    return this.parts.streams.setMaxRecordSize(ref, maxRecordSizeKiB);
  }

  async tagResource(resource: ResourceRef, tags: Tag[]): Promise<void> {
    if (resource.kind === 'consumer') await this.parts.consumers.addTags({ arn: resource.arn }, tags);
    else await this.parts.streams.addTags({ arn: resource.arn }, tags);
  }

  async untagResource(resource: ResourceRef, keys: string[]): Promise<void> {
    if (resource.kind === 'consumer') await this.parts.consumers.removeTags({ arn: resource.arn }, keys);
    else await this.parts.streams.removeTags({ arn: resource.arn }, keys);
  }

  listResourceTags(resource: ResourceRef): Promise<Tag[]> {
    return resource.kind === 'consumer'
      ? this.parts.consumers.listTags({ arn: resource.arn })
      : this.parts.streams.listTags({ arn: resource.arn });
  }

  async putResourcePolicy(resource: ResourceRef, policy: string): Promise<void> {
    await this.parts.policies.put((await this.streamOf(resource)).id, resource.arn, policy);
  }

  async getResourcePolicy(resource: ResourceRef): Promise<string | undefined> {
    return this.parts.policies.get((await this.streamOf(resource)).id, resource.arn);
  }

  async deleteResourcePolicy(resource: ResourceRef): Promise<void> {
    await this.parts.policies.delete((await this.streamOf(resource)).id, resource.arn);
  }

  /**
   * The stream a resource ARN belongs to (ResourceNotFoundException when the stream, or the
   * consumer, does not exist): policies are keyed by the resource's own ARN, on its stream.
   */
  private async streamOf(resource: ResourceRef): Promise<Stream> {
    if (resource.kind === 'consumer') await this.parts.consumers.find({ arn: resource.arn });
    return this.parts.streams.find({ arn: resource.kind === 'consumer' ? resource.streamArn : resource.arn });
  }

  /**
   * Admits a GetRecords call under the shard's read limits (or throws the throttling
   * error) and answers how to charge what it read; nothing at all when limits are off or
   * the stream is on-demand.
   */
  private admitRead(stream: Stream, shard: Shard, meters: StreamMeters | undefined): ((records: StoredRecord[]) => void) | undefined {
    const throttle = stream.mode === 'PROVISIONED' ? this.parts.readThrottle : undefined;
    if (!throttle) return undefined;
    const key = `${stream.id}/${shard.index}`;
    try {
      throttle.admit(key, () => `Rate exceeded for shard ${shard.shardId} in stream ${stream.name} under account ${this.parts.accountId}.`);
    } catch (err) {
      meters?.readThrottled(shard.shardId);
      throw err;
    }
    return (records) => throttle.charge(key, recordBytes(records));
  }

  describeLimits(): Promise<AccountLimits> {
    return this.parts.streams.describeLimits();
  }

  updateShardLevelMetrics(ref: StreamRef, metrics: string[], action: 'enable' | 'disable'): Promise<MonitoringChange> {
    return this.parts.streams.updateShardLevelMetrics(ref, metrics, action);
  }

  startEncryption(ref: StreamRef, keyId: string): Promise<void> {
    return this.parts.streams.startEncryption(ref, keyId);
  }

  stopEncryption(ref: StreamRef, keyId: string): Promise<void> {
    return this.parts.streams.stopEncryption(ref, keyId);
  }

  private shardOf(stream: Stream, shardId: string): Shard {
    const shard = stream.shards.find((s) => s.shardId === shardId);
    if (!shard) {
      throw notFound(`Shard ${shardId} in stream ${stream.name} under account ${this.parts.accountId} does not exist`);
    }
    return shard;
  }

  registerConsumer(streamArn: string, name: string, tags?: Tag[]): Promise<Consumer> {
    return this.parts.consumers.register(streamArn, name, tags);
  }

  describeConsumer(ref: ConsumerRef): Promise<Consumer> {
    return this.parts.consumers.find(ref);
  }

  listConsumers(streamArn: string, input: { limit: number; exclusiveStartName?: string }) {
    return this.parts.consumers.list(streamArn, input);
  }

  async deregisterConsumer(ref: ConsumerRef): Promise<void> {
    await this.parts.consumers.deregister(ref);
  }

  subscribeToShard(consumerArn: string, shardId: string, start: IteratorRequest): Promise<ShardEventStream> {
    return this.parts.fanOut.subscribe(consumerArn, shardId, start);
  }

  private startPosition(stream: Stream, shard: Shard, request: IteratorRequest): Promise<RecordPosition> {
    return startPosition(this.parts.store, stream, shard, request);
  }
}

/** What a read counts against the shard's read bytes: partition keys and data, as writes count. */
function recordBytes(records: StoredRecord[]): number {
  let bytes = 0;
  for (const record of records) bytes += record.data.length + Buffer.byteLength(record.partitionKey);
  return bytes;
}
