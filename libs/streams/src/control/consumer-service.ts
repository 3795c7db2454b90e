import { inUse, limitExceeded, notFound } from '@shardline/protocol';
import type { ConsumerRef, Stream, Tag } from '@shardline/protocol';
import type { ConsumerRepository, StoredConsumer, StreamRepository } from '@shardline/metadata';
import type { PlatformConfig } from '../config';

/** Consumers a stream may have at once (AWS's limit for provisioned and on-demand standard streams). */
export const MAX_CONSUMERS_PER_STREAM = 20;

/** Tags a consumer may have (AWS: 50 per resource). */
const MAX_TAGS = 50;

/**
 * The control plane of enhanced fan-out consumers: register, describe, list, deregister,
 * in Postgres. Status is derived from times (CREATING until ready, DELETING until gone);
 * a sweep purges consumers whose deregistration finished.
 */
export class ConsumerService {
  constructor(
    private readonly consumers: ConsumerRepository,
    private readonly streams: StreamRepository,
    private readonly config: PlatformConfig,
    private readonly now: () => number = Date.now,
  ) {}

  async register(streamArn: string, name: string, tags: Tag[] = []): Promise<StoredConsumer> {
    const stream = await this.stream(streamArn);
    if (stream.status !== 'ACTIVE' && stream.status !== 'UPDATING') {
      throw inUse(`Stream ${stream.name} under account ${this.config.accountId} not ACTIVE, instead in state ${stream.status}`);
    }
    const result = await this.consumers.register({
      streamId: stream.id,
      name,
      arnAt: (createdAt) => `${stream.arn}/consumer/${name}:${Math.floor(createdAt.getTime() / 1000)}`,
      readyAt: new Date(this.now() + this.config.consumerCreateDelayMs),
      limit: MAX_CONSUMERS_PER_STREAM,
      tags,
    });
    switch (result.kind) {
      case 'created':
        return result.consumer;
      case 'exists':
        throw inUse(`Consumer ${name} under stream ${stream.arn} already exists for account ${this.config.accountId}.`);
      case 'limit':
        throw limitExceeded(
          `Stream ${stream.arn} under account ${this.config.accountId} already has the maximum number of ` +
            `${MAX_CONSUMERS_PER_STREAM} registered consumers.`,
        );
    }
  }

  async find(ref: ConsumerRef): Promise<StoredConsumer> {
    const consumer = ref.arn
      ? await this.consumers.findByArn(ref.arn)
      : await this.consumers.findByName((await this.stream(ref.streamArn ?? '')).id, ref.name ?? '');
    if (!consumer) throw notFound(this.missing(ref));
    return consumer;
  }

  async list(streamArn: string, input: { limit: number; exclusiveStartName?: string }) {
    return this.consumers.list((await this.stream(streamArn)).id, input);
  }

  async deregister(ref: ConsumerRef): Promise<StoredConsumer> {
    const consumer = await this.find(ref);
    if (consumer.status !== 'DELETING') {
      await this.consumers.markDeleting(consumer.id, new Date(this.now() + this.config.consumerDeleteDelayMs));
    }
    return consumer;
  }

  /**
   * DeleteStream's rule: a stream with registered consumers is deleted only with
   * EnforceConsumerDeletion, which deregisters them too.
   */
  async beforeStreamDeletion(stream: Stream, enforceConsumerDeletion: boolean): Promise<void> {
    if (stream.consumerCount === 0 || stream.status === 'DELETING') return;
    if (!enforceConsumerDeletion) {
      throw inUse(
        `Stream ${stream.name} under account ${this.config.accountId} has registered consumers and ` +
          'EnforceConsumerDeletion is not set to true.',
      );
    }
    await this.consumers.markStreamConsumersDeleting(stream.id, new Date(this.now() + this.config.consumerDeleteDelayMs));
  }

  async addTags(ref: ConsumerRef, tags: Tag[]): Promise<void> {
    const consumer = await this.find(ref);
    const existing = new Set((await this.consumers.listTags(consumer.id)).map((t) => t.key));
    if (existing.size + tags.filter((t) => !existing.has(t.key)).length > MAX_TAGS) {
      throw limitExceeded(`Consumer ${consumer.arn} under account ${this.config.accountId} cannot have more than ${MAX_TAGS} tags.`);
    }
    await this.consumers.addTags(consumer.id, tags);
  }

  async removeTags(ref: ConsumerRef, keys: string[]): Promise<void> {
    await this.consumers.removeTags((await this.find(ref)).id, keys);
  }

  async listTags(ref: ConsumerRef): Promise<Tag[]> {
    return this.consumers.listTags((await this.find(ref)).id);
  }

  /** Removes consumers whose deregistration has finished. */
  async sweep(): Promise<void> {
    await this.consumers.purgeGone();
  }

  private async stream(arn: string): Promise<Stream> {
    const stream = await this.streams.findByArn(arn);
    if (!stream) throw notFound(`Stream ${arn} under account ${this.config.accountId} not found.`);
    return stream;
  }

  private missing(ref: ConsumerRef): string {
    return ref.arn
      ? `Consumer ${ref.arn} under account ${this.config.accountId} not found.`
      : `Consumer ${ref.name ?? ''} under stream ${ref.streamArn ?? ''} under account ${this.config.accountId} not found.`;
  }
}
