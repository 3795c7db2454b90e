import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import type { Consumer, Tag } from '@shardline/protocol';
import { ConsumerTagEntity } from '../entities/consumer-tag.entity';
import { StreamConsumerEntity } from '../entities/stream-consumer.entity';
import { StreamEntity } from '../entities/stream.entity';
import { toConsumer } from '../consumer.mapper';

/** A consumer with the ids the platform needs besides the domain fields. */
export interface StoredConsumer extends Consumer {
  id: string;
  streamId: string;
}

/** What RegisterStreamConsumer stores; `readyAt` is when CREATING turns ACTIVE. */
export interface NewConsumer {
  streamId: string;
  name: string;
  /** Forms the ARN from the creation time (AWS puts its epoch seconds in it). */
  arnAt(createdAt: Date): string;
  readyAt: Date;
  /** Live consumers a stream may have (20 on AWS). */
  limit: number;
  tags?: Tag[];
}

export type RegisterResult = { kind: 'created'; consumer: StoredConsumer } | { kind: 'exists' } | { kind: 'limit' };

const SUBSCRIPTION_EXPIRES = (param: number) => `now() + ($${param}::double precision * interval '1 millisecond')`;

/**
 * Enhanced fan-out consumers and their subscription leases in Postgres. Lease times come
 * from Postgres' now(), so gateways with skewed clocks agree.
 */
export class ConsumerRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Registers a consumer unless the name is live on the stream or the stream is at its
   * limit. The stream row is locked, so concurrent registrations count each other.
   */
  register(input: NewConsumer): Promise<RegisterResult> {
    const now = this.clock();
    return this.dataSource.transaction(async (manager) => {
      await manager.getRepository(StreamEntity).createQueryBuilder('s').setLock('pessimistic_write').where('s.id = :id', { id: input.streamId }).getOne();
      const live = await this.live(manager, now).andWhere('c.stream_id = :streamId', { streamId: input.streamId }).getMany();
      if (live.some((row) => row.name === input.name)) return { kind: 'exists' };
      if (live.length >= input.limit) return { kind: 'limit' };
      // Whole seconds: the ARN carries them, and a consumer re-read must give the same ARN.
      const createdAt = new Date(Math.floor(now.getTime() / 1000) * 1000);
      const row = {
        id: randomUUID(),
        streamId: input.streamId,
        name: input.name,
        arn: input.arnAt(createdAt),
        createdAt,
        readyAt: input.readyAt,
        deletingAt: null,
        goneAt: null,
      };
      await manager.insert(StreamConsumerEntity, row);
      await upsertTags(manager, row.id, input.tags ?? []);
      return { kind: 'created', consumer: await this.withStreamArn(manager, row, now) };
    });
  }

  /** Adds tags, overwriting the values of keys that exist. */
  addTags(consumerId: string, tags: Tag[]): Promise<void> {
    return upsertTags(this.dataSource.manager, consumerId, tags);
  }

  /** Removes the tags with these keys; absent keys are ignored. */
  async removeTags(consumerId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.getRepository(ConsumerTagEntity).delete({ consumerId, key: In(keys) });
  }

  /** The consumer's tags ordered by key. */
  async listTags(consumerId: string): Promise<Tag[]> {
    const rows = await this.dataSource.getRepository(ConsumerTagEntity).find({ where: { consumerId }, order: { key: 'ASC' } });
    return rows.map((row) => (row.value === null ? { key: row.key } : { key: row.key, value: row.value }));
  }

  /** The live consumer with this ARN. */
  async findByArn(arn: string): Promise<StoredConsumer | undefined> {
    const now = this.clock();
    const row = await this.live(this.dataSource.manager, now).andWhere('c.arn = :arn', { arn }).getOne();
    return row ? this.withStreamArn(this.dataSource.manager, row, now) : undefined;
  }

  /** The live consumer of the stream with this name. */
  async findByName(streamId: string, name: string): Promise<StoredConsumer | undefined> {
    const now = this.clock();
    const row = await this.live(this.dataSource.manager, now)
      .andWhere('c.stream_id = :streamId AND c.name = :name', { streamId, name })
      .getOne();
    return row ? this.withStreamArn(this.dataSource.manager, row, now) : undefined;
  }

  /** Live consumers of the stream ordered by name, after `exclusiveStartName`, at most `limit`. */
  async list(streamId: string, input: { limit: number; exclusiveStartName?: string }): Promise<{ consumers: StoredConsumer[]; hasMore: boolean }> {
    const now = this.clock();
    const query = this.live(this.dataSource.manager, now)
      .andWhere('c.stream_id = :streamId', { streamId })
      .orderBy('c.name', 'ASC')
      .limit(input.limit + 1);
    if (input.exclusiveStartName !== undefined) query.andWhere('c.name > :start', { start: input.exclusiveStartName });
    const rows = await query.getMany();
    const stream = await this.dataSource.getRepository(StreamEntity).findOneBy({ id: streamId });
    const consumers = rows.slice(0, input.limit).map((row) => toConsumer(row, stream?.arn ?? '', now));
    return { consumers, hasMore: rows.length > input.limit };
  }

  /** Live consumers per stream (DescribeStreamSummary's ConsumerCount). */
  async countLive(streamIds: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (streamIds.length === 0) return counts;
    const rows: Array<{ stream_id: string; n: string }> = await this.live(this.dataSource.manager, this.clock())
      .select('c.stream_id', 'stream_id')
      .addSelect('count(*)', 'n')
      .andWhere({ streamId: In(streamIds) })
      .groupBy('c.stream_id')
      .getRawMany();
    for (const row of rows) counts.set(row.stream_id, Number(row.n));
    return counts;
  }

  /** Starts deregistering: DELETING until `goneAt`, then gone. Its subscription leases go at once. */
  async markDeleting(id: string, goneAt: Date): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.update(StreamConsumerEntity, { id }, { deletingAt: this.clock(), goneAt });
      await manager.query('DELETE FROM consumer_subscriptions WHERE consumer_id = $1', [id]);
    });
  }

  /** Deregisters every live consumer of a stream (DeleteStream with EnforceConsumerDeletion). */
  async markStreamConsumersDeleting(streamId: string, goneAt: Date): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(StreamConsumerEntity)
      .set({ deletingAt: this.clock(), goneAt })
      .where('stream_id = :streamId AND gone_at IS NULL', { streamId })
      .execute();
  }

  /** Deletes consumers whose deregistration has finished. */
  async purgeGone(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(StreamConsumerEntity)
      .where('gone_at <= :now', { now: this.clock() })
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Takes the (consumer, shard) subscription lease for `holder` when it is free, expired, or
   * held for at least `takeoverMs` (AWS: a new SubscribeToShard 5 s or more after the previous
   * one takes it over). One statement, so of two racing gateways one wins. False when held.
   */
  async acquireSubscription(consumerId: string, shardIndex: number, holder: string, ttlMs: number, takeoverMs: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO consumer_subscriptions AS s (consumer_id, shard_index, holder, started_at, expires_at)
       VALUES ($1, $2, $3, now(), ${SUBSCRIPTION_EXPIRES(4)})
       ON CONFLICT (consumer_id, shard_index) DO UPDATE
          SET holder = EXCLUDED.holder, started_at = EXCLUDED.started_at, expires_at = EXCLUDED.expires_at
        WHERE s.expires_at <= now() OR s.started_at <= now() - ($5::double precision * interval '1 millisecond')
       RETURNING holder`,
      [consumerId, shardIndex, holder, ttlMs, takeoverMs],
    );
    return rows.length > 0;
  }

  /** Extends the holder's lease; false once it lost it (taken over, consumer deregistered). */
  async renewSubscription(holder: string, ttlMs: number): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE consumer_subscriptions SET expires_at = ${SUBSCRIPTION_EXPIRES(2)} WHERE holder = $1 RETURNING holder`,
      [holder, ttlMs],
    );
    return rows.length > 0;
  }

  /** Gives the lease up when the subscription ends. */
  async releaseSubscription(holder: string): Promise<void> {
    await this.dataSource.query('DELETE FROM consumer_subscriptions WHERE holder = $1', [holder]);
  }

  /** Consumers that exist at `now`: registered, or still DELETING. */
  private live(manager: EntityManager, now: Date): SelectQueryBuilder<StreamConsumerEntity> {
    return manager
      .getRepository(StreamConsumerEntity)
      .createQueryBuilder('c')
      .where(new Brackets((q) => q.where('c.gone_at IS NULL').orWhere('c.gone_at > :now', { now })));
  }

  private async withStreamArn(manager: EntityManager, row: StreamConsumerEntity, now: Date): Promise<StoredConsumer> {
    const stream = await manager.getRepository(StreamEntity).findOneByOrFail({ id: row.streamId });
    return toConsumer(row, stream.arn, now);
  }
}

async function upsertTags(manager: EntityManager, consumerId: string, tags: Tag[]): Promise<void> {
  // Last value wins for a key given twice, as one ON CONFLICT statement cannot touch a row twice.
  const byKey = new Map(tags.map((tag) => [tag.key, tag.value ?? null]));
  if (byKey.size === 0) return;
  const rows = [...byKey].map(([key, value]) => ({ consumerId, key, value }));
  await manager.upsert(ConsumerTagEntity, rows, { conflictPaths: ['consumerId', 'key'] });
}
