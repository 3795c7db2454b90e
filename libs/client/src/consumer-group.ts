import type { ShardlineClient } from './client';
import type { GroupBatchHandler, GroupConsumeOptions, GroupConsumer, GroupRecordHandler } from './group-member';
import { NatsGroupMember } from './nats-group-member';
import { RestGroupMember } from './rest-group-member';
import type { GroupView } from './types';

/**
 * A consumer group of a stream, as a client sees it. `consume()` joins the group (over NATS
 * when the client has a connection, else over REST + SSE), calls the handler for every
 * record of the member's shards, checkpoints each batch after the handler resolved,
 * heartbeats, follows rebalances (shards come and go as members join and leave; the server
 * hands them over at their checkpoints), joins again when its session was lost, and leaves
 * on stop(). Delivery is at least once: a batch whose handler threw, or that was in hand when
 * its member died, is delivered again from the last checkpoint.
 */
export class ConsumerGroup {
  constructor(
    private readonly client: ShardlineClient,
    readonly stream: string,
    readonly group: string,
  ) {}

  /** Calls `handler` per record (in order within a shard); the batch is checkpointed once all its records are handled. */
  consume(handler: GroupRecordHandler, options: GroupConsumeOptions = {}): Promise<GroupConsumer> {
    return this.consumeBatches(async (batch) => {
      for (const record of batch.records) await handler(record, batch);
    }, options);
  }

  /** Calls `handler` per batch; the batch is checkpointed once it resolved. */
  async consumeBatches(handler: GroupBatchHandler, options: GroupConsumeOptions = {}): Promise<GroupConsumer> {
    const transport = options.transport ?? (this.client.nats ? 'nats' : 'rest');
    if (transport === 'nats' && !this.client.nats) throw new Error('The nats transport needs a client created with a NATS connection');
    const member =
      transport === 'nats'
        ? new NatsGroupMember(this.client.nats!, this.client.natsPrefix, this.stream, this.group, handler, options)
        : new RestGroupMember(this.client, this.stream, this.group, handler, options);
    await member.start();
    return member;
  }

  /** Members, their shards, each shard's checkpoint and lag (REST). */
  describe(): Promise<GroupView> {
    return this.client.groups.describe(this.stream, this.group);
  }
}
