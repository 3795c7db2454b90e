import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { ShardEntity } from '../entities/shard.entity';
import { StreamTagEntity } from '../entities/stream-tag.entity';
import { StreamEntity } from '../entities/stream.entity';
import { inUse, Stream, StreamMode, Tag } from '@shardline/protocol';
import { accountOf, toStream, toTag } from '../stream.mapper';

/** A shard as CreateStream lays it out: an open shard with its hash-key range. */
export interface NewShard {
  index: number;
  shardId: string;
  hashKeyStart: bigint;
  hashKeyEnd: bigint;
  startingSequenceNumber: string;
}

/** Everything CreateStream stores; `readyAt` is when CREATING turns ACTIVE. */
export interface NewStream {
  id?: string;
  name: string;
  arn: string;
  mode: StreamMode;
  retentionHours: number;
  readyAt: Date;
  shards: NewShard[];
  tags: Tag[];
}

/** A shard a reshard creates: open, or closed at birth (an intermediate piece of a uniform scaling). */
export interface ReshardChild extends NewShard {
  parentShardId: string;
  adjacentParentShardId?: string;
  /** Set for a shard closed at birth. */
  endingSequenceNumber?: string;
}

/** What one reshard stores at once: closed parents with their last sequence numbers, and the new shards. */
export interface ReshardChange {
  close: Array<{ index: number; endingSequenceNumber: string }>;
  create: ReshardChild[];
  /** Counts towards UpdateShardCount's rolling 24-hour limit. */
  scalingOperation?: boolean;
}

/** One page of ListStreams. */
export interface StreamPage {
  streams: Stream[];
  hasMore: boolean;
}

const NAME_INDEX = 'streams_name_live_uq';
const UNIQUE_VIOLATION = '23505';

/** Streams, their shards and tags in Postgres; returns domain objects, never entities. */
export class StreamRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores a new stream with its shards and tags; ResourceInUseException if the name is taken. */
  async create(input: NewStream): Promise<Stream> {
    const now = this.clock();
    const id = input.id ?? randomUUID();
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (await this.live(manager, now).andWhere('s.name = :name', { name: input.name }).getExists()) {
          throw nameTaken(input);
        }
        await manager.insert(StreamEntity, {
          id,
          name: input.name,
          arn: input.arn,
          mode: input.mode,
          status: 'ACTIVE',
          retentionHours: input.retentionHours,
          createdAt: now,
          readyAt: input.readyAt,
        });
        await insertShards(manager, id, input.shards, now);
        await upsertTags(manager, id, input.tags);
        const [stream] = await this.load(manager, [await manager.findOneByOrFail(StreamEntity, { id })], now);
        return stream!;
      });
    } catch (err) {
      if (isUniqueViolation(err, NAME_INDEX)) throw nameTaken(input);
      throw err;
    }
  }

  /** The live (not yet gone) stream with this name. */
  findByName(name: string): Promise<Stream | undefined> {
    return this.findOne('s.name = :name', { name });
  }

  /** The live (not yet gone) stream with this ARN. */
  findByArn(arn: string): Promise<Stream | undefined> {
    return this.findOne('s.arn = :arn', { arn });
  }

  /** The stream with this id, unless it is gone. */
  findById(id: string): Promise<Stream | undefined> {
    return this.findOne('s.id = :id', { id });
  }

  /** Live streams ordered by name, after `exclusiveStartName`, at most `limit`. */
  async list(input: { limit: number; exclusiveStartName?: string }): Promise<StreamPage> {
    const now = this.clock();
    const query = this.live(this.dataSource.manager, now).orderBy('s.name', 'ASC').limit(input.limit + 1);
    if (input.exclusiveStartName !== undefined) query.andWhere('s.name > :start', { start: input.exclusiveStartName });
    const rows = await query.getMany();
    const page = rows.slice(0, input.limit);
    return { streams: await this.load(this.dataSource.manager, page, now), hasMore: rows.length > input.limit };
  }

  /** Open shards of streams that are not being deleted (what the account's shard limit counts). */
  countOpenShards(): Promise<number> {
    return this.dataSource
      .getRepository(ShardEntity)
      .createQueryBuilder('sh')
      .innerJoin(StreamEntity, 's', 's.id = sh.stream_id')
      .where(`sh.status = 'OPEN'`)
      .andWhere('s.gone_at IS NULL')
      .getCount();
  }

  /** Streams of this mode that are not gone (DescribeLimits' OnDemandStreamCount). */
  countStreams(mode: StreamMode): Promise<number> {
    return this.dataSource
      .getRepository(StreamEntity)
      .createQueryBuilder('s')
      .where('s.mode = :mode', { mode })
      .andWhere('s.gone_at IS NULL')
      .getCount();
  }

  /** Replaces the stream's shard-level metrics (enhanced monitoring). */
  async setShardLevelMetrics(id: string, metrics: string[]): Promise<void> {
    await this.dataSource.getRepository(StreamEntity).update({ id }, { shardLevelMetrics: metrics });
  }

  /** Sets how new records are stored: encrypted under `keyId`, or not (NONE, no key). */
  async setEncryption(id: string, encryptionType: 'NONE' | 'KMS', keyId: string | null): Promise<void> {
    await this.dataSource.getRepository(StreamEntity).update({ id }, { encryptionType, keyId });
  }

  /** Starts deleting a stream: DELETING until `goneAt`, then gone. False if it was already deleting. */
  async markDeleting(id: string, goneAt: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(StreamEntity)
      .set({ deletingAt: this.clock(), goneAt })
      .where('id = :id AND gone_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Deletes the rows of gone streams and returns them, shards included, so the caller
   * can drop their storage. Concurrent purgers skip each other's rows.
   */
  purgeGone(): Promise<Stream[]> {
    const now = this.clock();
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .getRepository(StreamEntity)
        .createQueryBuilder('s')
        .where('s.gone_at <= :now', { now })
        .orderBy('s.gone_at', 'ASC')
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (rows.length === 0) return [];
      const streams = await this.load(manager, rows, now);
      await manager.delete(StreamEntity, { id: In(rows.map((row) => row.id)) });
      return streams;
    });
  }

  /** Sets the retention period. */
  async setRetention(id: string, hours: number): Promise<void> {
    await this.dataSource.getRepository(StreamEntity).update({ id }, { retentionHours: hours });
  }

  /**
   * Takes an ACTIVE stream for an update (reshard, mode change): it reads UPDATING until
   * `until`. False when it is not ACTIVE (creating, deleting, or already updating). One
   * statement, so of two concurrent updates one wins.
   */
  async beginUpdate(id: string, until: Date): Promise<boolean> {
    const now = this.clock();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(StreamEntity)
      .set({ updatingUntil: until })
      .where(`id = :id AND gone_at IS NULL AND ready_at <= :now AND status = 'ACTIVE'`, { id, now })
      .andWhere('(updating_until IS NULL OR updating_until <= :now)', { now })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Ends an update: the stream still reads UPDATING until `until`, then ACTIVE. */
  async endUpdate(id: string, until: Date): Promise<void> {
    await this.dataSource.getRepository(StreamEntity).update({ id }, { updatingUntil: until });
  }

  async setMode(id: string, mode: StreamMode): Promise<void> {
    await this.dataSource.getRepository(StreamEntity).update({ id }, { mode });
  }

  /** UpdateShardCount calls on the stream after `since`. */
  async countScalingOperations(id: string, since: Date): Promise<number> {
    const rows: Array<{ n: string }> = await this.dataSource.query(
      'SELECT count(*) AS n FROM streams, unnest(scaling_operations) t WHERE id = $1 AND t > $2',
      [id, since],
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Stores a reshard in one transaction: the parents become CLOSED with their ending
   * sequence numbers (each must still be OPEN, or nothing is stored), the children are
   * inserted. Scaling operations older than a day are dropped as a new one is added.
   */
  async reshard(id: string, change: ReshardChange): Promise<void> {
    const now = this.clock();
    await this.dataSource.transaction(async (manager) => {
      // Only while the reshard still holds the stream: once its hold expired, placement may
      // have reopened the sealed parents, and closing them now could lose their new records.
      const [held] = await manager.query(
        'SELECT 1 FROM streams WHERE id = $1 AND updating_until > $2 FOR UPDATE',
        [id, now],
      );
      if (!held) throw inUse(`The update of stream ${id} took too long and was abandoned; retry.`);
      for (const parent of change.close) {
        const result = await manager
          .createQueryBuilder()
          .update(ShardEntity)
          .set({ status: 'CLOSED', endingSequenceNumber: parent.endingSequenceNumber, closedAt: now })
          .where(`stream_id = :id AND shard_index = :index AND status = 'OPEN'`, { id, index: parent.index })
          .execute();
        if ((result.affected ?? 0) !== 1) throw inUse(`Shard ${parent.index} of stream ${id} is no longer open.`);
      }
      await insertShards(manager, id, change.create, now);
      if (change.scalingOperation) {
        await manager.query(
          `UPDATE streams SET scaling_operations =
             array_append(ARRAY(SELECT t FROM unnest(scaling_operations) t WHERE t > $2), $3::timestamptz)
           WHERE id = $1`,
          [id, new Date(now.getTime() - 86_400_000), now],
        );
      }
    });
  }

  /** Sets MaxRecordSizeInKiB. */
  async setMaxRecordSize(id: string, kib: number): Promise<void> {
    await this.dataSource.getRepository(StreamEntity).update({ id }, { maxRecordSizeKiB: kib });
  }

  /** Adds tags, overwriting the values of keys that exist. */
  addTags(id: string, tags: Tag[]): Promise<void> {
    return upsertTags(this.dataSource.manager, id, tags);
  }

  /** Removes the tags with these keys; absent keys are ignored. */
  async removeTags(id: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.dataSource.getRepository(StreamTagEntity).delete({ streamId: id, key: In(keys) });
  }

  /** The stream's tags ordered by key. */
  async listTags(id: string): Promise<Tag[]> {
    const rows = await this.dataSource.getRepository(StreamTagEntity).find({ where: { streamId: id }, order: { key: 'ASC' } });
    return rows.map(toTag);
  }

  /** How many tags the stream has. */
  countTags(id: string): Promise<number> {
    return this.dataSource.getRepository(StreamTagEntity).countBy({ streamId: id });
  }

  private async findOne(condition: string, params: Record<string, unknown>): Promise<Stream | undefined> {
    const now = this.clock();
    const row = await this.live(this.dataSource.manager, now).andWhere(condition, params).getOne();
    if (!row) return undefined;
    const [stream] = await this.load(this.dataSource.manager, [row], now);
    return stream;
  }

  /** Streams that exist at `now`: not deleted, or still DELETING. */
  private live(manager: EntityManager, now: Date): SelectQueryBuilder<StreamEntity> {
    return manager
      .getRepository(StreamEntity)
      .createQueryBuilder('s')
      .where(new Brackets((q) => q.where('s.gone_at IS NULL').orWhere('s.gone_at > :now', { now })));
  }

  /** Attaches the shards of `rows` (one query) and maps them to domain streams. */
  private async load(manager: EntityManager, rows: StreamEntity[], now: Date): Promise<Stream[]> {
    if (rows.length === 0) return [];
    const shards = await manager.find(ShardEntity, {
      where: { streamId: In(rows.map((row) => row.id)) },
      order: { shardIndex: 'ASC' },
    });
    const consumers = await consumerCounts(manager, rows.map((row) => row.id), now);
    return rows.map((row) =>
      toStream(row, shards.filter((shard) => shard.streamId === row.id), now, consumers.get(row.id) ?? 0),
    );
  }
}

/** Registered (not yet gone) enhanced fan-out consumers per stream. */
async function consumerCounts(manager: EntityManager, streamIds: string[], now: Date): Promise<Map<string, number>> {
  const rows: Array<{ stream_id: string; n: string }> = await manager.query(
    `SELECT stream_id, count(*) AS n FROM stream_consumers
      WHERE stream_id = ANY($1::uuid[]) AND (gone_at IS NULL OR gone_at > $2)
      GROUP BY stream_id`,
    [streamIds, now],
  );
  return new Map(rows.map((row) => [row.stream_id, Number(row.n)]));
}

async function insertShards(
  manager: EntityManager,
  streamId: string,
  shards: Array<NewShard & Partial<ReshardChild>>,
  now: Date,
): Promise<void> {
  if (shards.length === 0) return;
  await manager.insert(
    ShardEntity,
    shards.map((shard) => ({
      streamId,
      shardIndex: shard.index,
      shardId: shard.shardId,
      hashKeyStart: shard.hashKeyStart,
      hashKeyEnd: shard.hashKeyEnd,
      startingSequenceNumber: shard.startingSequenceNumber,
      parentShardId: shard.parentShardId ?? null,
      adjacentParentShardId: shard.adjacentParentShardId ?? null,
      endingSequenceNumber: shard.endingSequenceNumber ?? null,
      status: shard.endingSequenceNumber === undefined ? ('OPEN' as const) : ('CLOSED' as const),
      createdAt: now,
      closedAt: shard.endingSequenceNumber === undefined ? null : now,
    })),
  );
}

async function upsertTags(manager: EntityManager, streamId: string, tags: Tag[]): Promise<void> {
  // Last value wins for a key given twice, as one ON CONFLICT statement cannot touch a row twice.
  const byKey = new Map(tags.map((tag) => [tag.key, tag.value ?? null]));
  if (byKey.size === 0) return;
  const rows = [...byKey].map(([key, value]) => ({ streamId, key, value }));
  await manager.upsert(StreamTagEntity, rows, { conflictPaths: ['streamId', 'key'] });
}

function nameTaken(input: NewStream) {
  return inUse(`Stream ${input.name} under account ${accountOf(input.arn)} already exists.`);
}

function isUniqueViolation(err: unknown, constraint: string): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string };
  return driverError.code === UNIQUE_VIOLATION && driverError.constraint === constraint;
}
