import { randomUUID } from 'node:crypto';
import { Brackets, DataSource, EntityManager, In, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { deliveryStreamArn, inUse, limitExceeded } from '@shardline/protocol';
import type {
  DeliveryDestination,
  DeliveryStream,
  DeliveryStreamEncryption,
  DeliveryStreamPage,
  DeliveryStreamStatus,
  DeliveryStreamType,
  EncryptionKeyType,
  FirehoseTag,
} from '@shardline/protocol';
import { DeliveryStreamEntity } from '../entities/delivery-stream.entity';
import { DeliveryStreamTagEntity } from '../entities/delivery-stream-tag.entity';

const UNIQUE_VIOLATION = '23505';
const NAME_INDEX = 'delivery_streams_name_live_uq';

/** What the control plane stores for a new delivery stream. */
export interface NewStoredDeliveryStream {
  name: string;
  type: DeliveryStreamType;
  source?: { kinesisStreamArn: string; roleArn: string; streamId: string };
  destination: DeliveryDestination;
  encryption?: { keyType: EncryptionKeyType; keyArn?: string };
  tags?: FirehoseTag[];
  /** CREATING until then. */
  activeAt: Date;
}

/**
 * Delivery streams in Postgres, returned as the protocol's `DeliveryStream`. "Live" rows are
 * those not yet gone (gone_at unset or in the future); a gone row is invisible and waits
 * for `removeGone`.
 */
export class DeliveryStreamRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly arn: { region: string; accountId: string },
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores a new delivery stream with its tags; ResourceInUseException if the name is live. */
  async create(input: NewStoredDeliveryStream): Promise<DeliveryStream> {
    const now = this.clock();
    const id = randomUUID();
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (await this.live(manager, now).andWhere('d.name = :name', { name: input.name }).getExists()) throw this.nameTaken(input.name);
        await manager.insert(DeliveryStreamEntity, {
          id,
          name: input.name,
          type: input.type,
          versionId: 1,
          sourceStreamArn: input.source?.kinesisStreamArn ?? null,
          sourceStreamId: input.source?.streamId ?? null,
          sourceRoleArn: input.source?.roleArn ?? null,
          destinationKind: input.destination.kind,
          destinationConfig: input.destination.config as never,
          encryptionEnabled: input.encryption !== undefined,
          encryptionKeyType: input.encryption?.keyType ?? null,
          encryptionKeyArn: input.encryption?.keyArn ?? null,
          encryptionSettlesAt: input.encryption ? input.activeAt : null,
          createdAt: now,
          updatedAt: now,
          activeAt: input.activeAt,
        });
        if (input.tags?.length) await upsertTags(manager, id, input.tags);
        return this.toDomain(await manager.findOneByOrFail(DeliveryStreamEntity, { id }), now)!;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw this.nameTaken(input.name);
      throw err;
    }
  }

  /** The live delivery stream with this name. */
  async findByName(name: string): Promise<DeliveryStream | undefined> {
    const now = this.clock();
    const row = await this.live(this.dataSource.manager, now).andWhere('d.name = :name', { name }).getOne();
    return row ? this.toDomain(row, now) : undefined;
  }

  /** The live delivery stream with this id. */
  async findById(id: string): Promise<DeliveryStream | undefined> {
    const now = this.clock();
    const row = await this.live(this.dataSource.manager, now).andWhere('d.id = :id', { id }).getOne();
    return row ? this.toDomain(row, now) : undefined;
  }

  /** Every live delivery stream, by name (the delivery pipeline's view). */
  async all(): Promise<DeliveryStream[]> {
    const now = this.clock();
    const rows = await this.live(this.dataSource.manager, now).orderBy('d.name', 'ASC').getMany();
    return rows.map((row) => this.toDomain(row, now)!);
  }

  /** Live names in order, after `exclusiveStartName`, of one type or all, at most `limit`. */
  async list(input: { limit: number; type?: DeliveryStreamType; exclusiveStartName?: string }): Promise<DeliveryStreamPage> {
    const query = this.live(this.dataSource.manager, this.clock()).select('d.name', 'name').orderBy('d.name', 'ASC').limit(input.limit + 1);
    if (input.type) query.andWhere('d.type = :type', { type: input.type });
    if (input.exclusiveStartName !== undefined) query.andWhere('d.name > :start', { start: input.exclusiveStartName });
    const rows: Array<{ name: string }> = await query.getRawMany();
    return { names: rows.slice(0, input.limit).map((row) => row.name), hasMore: rows.length > input.limit };
  }

  /** Replaces the destination if `expectedVersionId` is current; false when it is not (or the stream is gone). */
  async updateDestination(id: string, expectedVersionId: number, destination: DeliveryDestination): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(DeliveryStreamEntity)
      .set({
        destinationKind: destination.kind,
        destinationConfig: destination.config as unknown as Record<string, unknown>,
        versionId: () => 'version_id + 1',
        updatedAt: this.clock(),
      })
      .where('id = :id AND version_id = :version AND deleting_at IS NULL', { id, version: expectedVersionId })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Moves the end of CREATING (once the delivery stream's storage exists). */
  async setActiveAt(id: string, activeAt: Date): Promise<void> {
    await this.dataSource.getRepository(DeliveryStreamEntity).update({ id }, { activeAt });
  }

  /** Turns encryption on or off; ENABLING / DISABLING until `settlesAt`. */
  async setEncryption(id: string, enabled: boolean, settlesAt: Date, key?: { keyType: EncryptionKeyType; keyArn?: string }): Promise<void> {
    await this.dataSource.getRepository(DeliveryStreamEntity).update(
      { id },
      {
        encryptionEnabled: enabled,
        encryptionSettlesAt: settlesAt,
        ...(key ? { encryptionKeyType: key.keyType, encryptionKeyArn: key.keyArn ?? null } : {}),
      },
    );
  }

  /** DELETING from now until `goneAt`; false when it was already deleting or gone. */
  async markDeleting(id: string, goneAt: Date): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(DeliveryStreamEntity)
      .set({ deletingAt: this.clock(), goneAt })
      .where('id = :id AND deleting_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Ids of rows past their gone_at (their storage may still need removing). */
  async goneIds(): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(DeliveryStreamEntity)
      .createQueryBuilder('d')
      .select('d.id', 'id')
      .where('d.gone_at <= :now', { now: this.clock() })
      .getRawMany<{ id: string }>();
    return rows.map((row) => row.id);
  }

  /** Deletes the rows (and tags) of these delivery streams for good. */
  async remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.transaction(async (manager) => {
      // The pipeline's progress of a removed delivery stream goes with it (no foreign key: the pipeline's tests use progress alone).
      await manager.query('DELETE FROM delivery_progress WHERE delivery_stream_id = ANY($1::uuid[])', [ids]);
      await manager.query('DELETE FROM delivery_stream_readers WHERE delivery_stream_id = ANY($1::uuid[])', [ids]);
      await manager.getRepository(DeliveryStreamEntity).delete({ id: In(ids) });
    });
  }

  /** Adds or replaces tags; LimitExceededException when the delivery stream would hold more than `max`. */
  async addTags(id: string, name: string, tags: FirehoseTag[], max: number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // Serialises concurrent tagging of one delivery stream, so the count check holds.
      await manager.query('SELECT 1 FROM delivery_streams WHERE id = $1 FOR UPDATE', [id]);
      const existing = await manager.find(DeliveryStreamTagEntity, { where: { deliveryStreamId: id }, select: { key: true } });
      const keys = new Set(existing.map((tag) => tag.key));
      for (const tag of tags) keys.add(tag.key);
      if (keys.size > max) {
        throw limitExceeded(`Delivery stream ${name} can have at most ${max} tags; this request would give it ${keys.size}.`);
      }
      await upsertTags(manager, id, tags);
    });
  }

  async removeTags(id: string, keys: string[]): Promise<void> {
    if (keys.length > 0) await this.dataSource.getRepository(DeliveryStreamTagEntity).delete({ deliveryStreamId: id, key: In(keys) });
  }

  /** Tags ordered by key. */
  async listTags(id: string): Promise<FirehoseTag[]> {
    const rows = await this.dataSource.getRepository(DeliveryStreamTagEntity).find({ where: { deliveryStreamId: id }, order: { key: 'ASC' } });
    return rows.map((row) => (row.value === null ? { key: row.key } : { key: row.key, value: row.value }));
  }

  private live(manager: EntityManager, now: Date): SelectQueryBuilder<DeliveryStreamEntity> {
    return manager
      .getRepository(DeliveryStreamEntity)
      .createQueryBuilder('d')
      .where(new Brackets((where) => where.where('d.gone_at IS NULL').orWhere('d.gone_at > :now', { now })));
  }

  private nameTaken(name: string) {
    return inUse(`Firehose ${name} under account ${this.arn.accountId} already exists.`);
  }

  private toDomain(row: DeliveryStreamEntity, now: Date): DeliveryStream | undefined {
    return {
      id: row.id,
      name: row.name,
      arn: deliveryStreamArn(this.arn.region, this.arn.accountId, row.name),
      type: row.type,
      status: statusOf(row, now),
      versionId: row.versionId,
      ...(row.sourceStreamArn
        ? {
            source: {
              kinesisStreamArn: row.sourceStreamArn,
              roleArn: row.sourceRoleArn ?? '',
              streamId: row.sourceStreamId ?? '',
              deliveryStartTimestamp: row.createdAt,
            },
          }
        : {}),
      destination: { kind: row.destinationKind, config: row.destinationConfig } as unknown as DeliveryDestination,
      encryption: encryptionOf(row, now),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }
}

function statusOf(row: DeliveryStreamEntity, now: Date): DeliveryStreamStatus {
  if (row.deletingAt) return 'DELETING';
  return now < row.activeAt ? 'CREATING' : 'ACTIVE';
}

function encryptionOf(row: DeliveryStreamEntity, now: Date): DeliveryStreamEncryption {
  const settling = row.encryptionSettlesAt !== null && now < row.encryptionSettlesAt;
  const status = row.encryptionEnabled ? (settling ? 'ENABLING' : 'ENABLED') : settling ? 'DISABLING' : 'DISABLED';
  if (status === 'DISABLED') return { status };
  return {
    status,
    ...(row.encryptionKeyType ? { keyType: row.encryptionKeyType } : {}),
    ...(row.encryptionKeyArn ? { keyArn: row.encryptionKeyArn } : {}),
  };
}

async function upsertTags(manager: EntityManager, id: string, tags: FirehoseTag[]): Promise<void> {
  await manager.upsert(
    DeliveryStreamTagEntity,
    tags.map((tag) => ({ deliveryStreamId: id, key: tag.key, value: tag.value ?? null })),
    ['deliveryStreamId', 'key'],
  );
}

function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const driverError = err.driverError as { code?: string; constraint?: string };
  return driverError.code === UNIQUE_VIOLATION && driverError.constraint === NAME_INDEX;
}
