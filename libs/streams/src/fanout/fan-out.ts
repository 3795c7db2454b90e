import { randomUUID } from 'node:crypto';
import { inUse, notFound } from '@shardline/protocol';
import type { IteratorRequest, RecordPosition, Shard, ShardEventStream, Stream } from '@shardline/protocol';
import type { ConsumerRepository, StoredConsumer } from '@shardline/metadata';
import type { ShardStore } from '@shardline/messaging';
import type { KinesisMetrics } from '@shardline/telemetry';
import type { PlatformConfig } from '../config';
import type { ShardReader } from '../data/shard-reader';
import { startPosition } from '../data/start-position';
import type { StreamDirectory } from '../data/stream-directory';
import type { AppendNotices } from './append-notices';
import { shardSource } from './shard-source';
import { ShardSubscription, type SubscriptionSource } from './shard-subscription';

/** The subscription lease outlives a dead gateway by at most this, and is renewed 3 times as often. */
const LEASE_TTL_MS = 10_000;
const RENEW_MS = LEASE_TTL_MS / 3;
/** Records per event, and bytes: an event stays far below the event stream's 16 MiB message limit. */
const EVENT_RECORDS = 10_000;
const EVENT_BYTES = 2 * 1024 * 1024;

/** What SubscribeToShard needs from the platform. */
export interface FanOutParts {
  consumers: ConsumerRepository;
  directory: StreamDirectory;
  reader: ShardReader;
  store: ShardStore;
  notices: AppendNotices;
  config: PlatformConfig;
  /** SubscribeToShardEvent metrics per stream and consumer, when given. */
  metrics?: KinesisMetrics;
}

/**
 * Serves SubscribeToShard: checks the consumer and shard, takes the (consumer, shard) lease
 * in Postgres (one subscription at a time across gateways; a call 5 s or more after the
 * holder's start takes it over, as on AWS), and runs a ShardSubscription fed by append
 * notices. The lease is renewed while the subscription lives and released when it ends; a
 * holder that loses it (taken over, consumer deregistered) ends with an exception event.
 */
export class FanOut {
  private readonly live = new Set<ShardSubscription>();

  constructor(private readonly parts: FanOutParts) {}

  async subscribe(consumerArn: string, shardId: string, request: IteratorRequest): Promise<ShardEventStream> {
    const { consumers, directory, store, config } = this.parts;
    const consumer = await consumers.findByArn(consumerArn);
    if (!consumer) throw notFound(`Consumer ${consumerArn} under account ${config.accountId} not found.`);
    if (consumer.status !== 'ACTIVE') {
      throw inUse(`Consumer ${consumerArn} under account ${config.accountId} not ACTIVE, instead in state ${consumer.status}`);
    }
    const stream = await directory.byId(consumer.streamId);
    const shard = stream.shards.find((s) => s.shardId === shardId);
    if (!shard) throw notFound(`Shard ${shardId} in stream ${stream.name} under account ${config.accountId} does not exist`);
    const start = await startPosition(store, stream, shard, request);
    const holder = randomUUID();
    if (!(await consumers.acquireSubscription(consumer.id, shard.index, holder, LEASE_TTL_MS, config.subscriptionTakeoverMs))) {
      throw inUse(this.takenText(stream, shard, consumer));
    }
    return this.run(stream, shard, consumer, start, holder);
  }

  /** Ends every subscription of this process (on shutdown). */
  closeAll(): void {
    for (const subscription of this.live) subscription.close();
  }

  private run(stream: Stream, shard: Shard, consumer: StoredConsumer, start: RecordPosition, holder: string): ShardEventStream {
    const { consumers, config } = this.parts;
    const subscription = new ShardSubscription(this.source(stream, shard), start, {
      maxMs: config.subscriptionMaxMs,
      keepAliveMs: config.subscriptionKeepAliveMs,
      now: Date.now,
    });
    this.live.add(subscription);
    const renewal = setInterval(() => {
      this.renew(holder, stream, shard, consumer).then(
        (lost) => lost && subscription.fail(lost),
        () => undefined, // Postgres unreachable for a moment: the lease lasts LEASE_TTL_MS
      );
    }, RENEW_MS);
    renewal.unref();
    const meters = this.parts.metrics?.of(stream);
    const end = () => {
      clearInterval(renewal);
      this.live.delete(subscription);
      void consumers.releaseSubscription(holder).catch(() => undefined);
    };
    return {
      close: () => subscription.close(),
      async *[Symbol.asyncIterator]() {
        try {
          for await (const event of subscription) {
            meters?.subscribeEvent(consumer.name, event.records.length, event.millisBehindLatest);
            yield event;
          }
        } finally {
          end();
        }
      },
    };
  }

  /** Renews the lease; answers why the subscription must end when it was lost. */
  private async renew(holder: string, stream: Stream, shard: Shard, consumer: StoredConsumer): Promise<Error | undefined> {
    if (await this.parts.consumers.renewSubscription(holder, LEASE_TTL_MS)) return undefined;
    const current = await this.parts.consumers.findByArn(consumer.arn);
    if (!current || current.status === 'DELETING') {
      return notFound(`Consumer ${consumer.arn} under account ${this.parts.config.accountId} not found.`);
    }
    return inUse(this.takenText(stream, shard, consumer));
  }

  private source(stream: Stream, shard: Shard): SubscriptionSource {
    return shardSource(this.parts, stream, shard.index, EVENT_RECORDS, EVENT_BYTES);
  }

  /** AWS's text when another subscription holds the consumer and shard. */
  private takenText(stream: Stream, shard: Shard, consumer: StoredConsumer): string {
    return `Another active subscription exists for this consumer: ${this.parts.config.accountId}:${stream.name}:${shard.shardId}:${consumer.name}`;
  }
}
