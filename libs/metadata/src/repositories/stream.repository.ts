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

async function insertShards(manager: EntityManager, streamId: string, shards: NewShard[], now: Date): Promise<void> {
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
      status: 'OPEN' as const,
      createdAt: now,
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
