import { notFound, shardIdOf } from '@shardline/protocol';
import type {
  Consumer,
  ConsumerRef,
  GetRecordsResult,
  IteratorRequest,
  KinesisBackend,
  PutRecordEntry,
  PutRecordResult,
  RecordPosition,
  Shard,
  ShardEventStream,
  ShardIteratorCodec,
  Stream,
  StreamMode,
  StreamRef,
  Tag,
} from '@shardline/protocol';
import type { ShardStore } from '@shardline/messaging';
import type { StreamRepository } from '@shardline/metadata';
import { withSpan } from '@shardline/telemetry';
import type { ConsumerService } from './control/consumer-service';
import type { StreamService } from './control/stream-service';
import type { FanOut } from './fanout/fan-out';
import type { RecordProducer } from './data/record-producer';
import type { StreamDirectory } from './data/stream-directory';
import type { ShardReader } from './data/shard-reader';
import { childShardsOf } from './data/child-shards';
import { startPosition } from './data/start-position';

/** The dependencies of the backend, built by the apps' modules. */
export interface BackendParts {
  repository: StreamRepository;
  streams: StreamService;
  directory: StreamDirectory;
  producer: RecordProducer;
  reader: ShardReader;
  store: ShardStore;
  iterators: ShardIteratorCodec;
  consumers: ConsumerService;
  fanOut: FanOut;
  accountId: string;
  now: () => number;
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

  putRecords(ref: StreamRef, records: PutRecordEntry[]): Promise<PutRecordResult[]> {
    return withSpan('kinesis.putRecords', { 'shardline.records': records.length }, (_span, trace) =>
      this.parts.producer.put(ref, records, trace),
    );
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
      const read = await this.parts.reader.read(address, state.position, limit);
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

  private shardOf(stream: Stream, shardId: string): Shard {
    const shard = stream.shards.find((s) => s.shardId === shardId);
    if (!shard) {
      throw notFound(`Shard ${shardId} in stream ${stream.name} under account ${this.parts.accountId} does not exist`);
    }
    return shard;
  }

  registerConsumer(streamArn: string, name: string): Promise<Consumer> {
    return this.parts.consumers.register(streamArn, name);
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
