import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { AnalyticsApplicationEntity, type StoredAnalyticsStatus } from '../entities/analytics-application.entity';
import { AnalyticsApplicationVersionEntity } from '../entities/analytics-application-version.entity';

/**
 * An analytics application as stored. `input`, `outputs` and `checkpoint` are JSON documents
 * whose shapes belong to the analytics lib (it validates them); metadata only keeps them.
 */
export interface StoredAnalyticsApplication {
  id: string;
  name: string;
  description: string;
  input: unknown;
  sql: string;
  version: number;
  outputs: unknown[];
  status: StoredAnalyticsStatus;
  startingPosition: string | null;
  checkpoint: unknown;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewAnalyticsApplication {
  name: string;
  description?: string;
  input: unknown;
  sql: string;
  outputs: unknown[];
}

/** What an update may change; the SQL and outputs together bump the version. */
export interface AnalyticsApplicationChange {
  description?: string;
  input?: unknown;
  sql?: string;
  outputs?: unknown[];
}

const toDomain = (e: AnalyticsApplicationEntity): StoredAnalyticsApplication => ({
  id: e.id,
  name: e.name,
  description: e.description,
  input: e.input,
  sql: e.sql,
  version: e.version,
  outputs: (e.outputs as unknown[]) ?? [],
  status: e.status,
  startingPosition: e.startingPosition,
  checkpoint: e.checkpoint ?? null,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const UNIQUE_VIOLATION = '23505';

/** Analytics applications and the versions of their SQL. */
export class AnalyticsApplicationRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Creates an application (READY, version 1); undefined when the name is taken. */
  async create(app: NewAnalyticsApplication): Promise<StoredAnalyticsApplication | undefined> {
    const at = this.now();
    try {
      return await this.dataSource.transaction(async (m) => {
        const entity = m.create(AnalyticsApplicationEntity, {
          id: randomUUID(),
          name: app.name,
          description: app.description ?? '',
          input: app.input,
          sql: app.sql,
          version: 1,
          outputs: app.outputs,
          status: 'READY',
          startingPosition: null,
          checkpoint: null,
          createdAt: at,
          updatedAt: at,
        });
        await m.save(entity);
        await m.insert(AnalyticsApplicationVersionEntity, { applicationId: entity.id, version: 1, sql: app.sql, createdAt: at });
        return toDomain(entity);
      });
    } catch (err) {
      if ((err as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
      throw err;
    }
  }

  async byName(name: string): Promise<StoredAnalyticsApplication | undefined> {
    const entity = await this.dataSource.getRepository(AnalyticsApplicationEntity).findOneBy({ name });
    return entity ? toDomain(entity) : undefined;
  }

  async byId(id: string): Promise<StoredAnalyticsApplication | undefined> {
    const entity = await this.dataSource.getRepository(AnalyticsApplicationEntity).findOneBy({ id });
    return entity ? toDomain(entity) : undefined;
  }

  async list(): Promise<StoredAnalyticsApplication[]> {
    return (await this.dataSource.getRepository(AnalyticsApplicationEntity).find({ order: { name: 'ASC' } })).map(toDomain);
  }

  /** Applications that should be running (STARTING or RUNNING). */
  async runnable(): Promise<StoredAnalyticsApplication[]> {
    const rows = await this.dataSource
      .getRepository(AnalyticsApplicationEntity)
      .createQueryBuilder('a')
      .where(`a.status IN ('STARTING', 'RUNNING')`)
      .orderBy('a.name')
      .getMany();
    return rows.map(toDomain);
  }

  /** Changes an application; a new SQL adds a version. Undefined when it does not exist. */
  async update(name: string, change: AnalyticsApplicationChange): Promise<StoredAnalyticsApplication | undefined> {
    return this.dataSource.transaction(async (m) => {
      const entity = await m.findOne(AnalyticsApplicationEntity, { where: { name }, lock: { mode: 'pessimistic_write' } });
      if (!entity) return undefined;
      const at = this.now();
      if (change.description !== undefined) entity.description = change.description;
      if (change.input !== undefined) entity.input = change.input;
      if (change.outputs !== undefined) entity.outputs = change.outputs;
      if (change.sql !== undefined || change.outputs !== undefined || change.input !== undefined) entity.version += 1;
      if (change.sql !== undefined) entity.sql = change.sql;
      entity.updatedAt = at;
      await m.save(entity);
      if (change.sql !== undefined || change.outputs !== undefined || change.input !== undefined) {
        await m.insert(AnalyticsApplicationVersionEntity, { applicationId: entity.id, version: entity.version, sql: entity.sql, createdAt: at });
      }
      return toDomain(entity);
    });
  }

  /** The versions of an application's SQL, oldest first. */
  async versions(id: string): Promise<Array<{ version: number; sql: string; createdAt: Date }>> {
    const rows = await this.dataSource.getRepository(AnalyticsApplicationVersionEntity).find({ where: { applicationId: id }, order: { version: 'ASC' } });
    return rows.map((r) => ({ version: r.version, sql: r.sql, createdAt: r.createdAt }));
  }

  /** Sets the status (and the starting position when starting); undefined when the application does not exist. */
  async setStatus(name: string, status: StoredAnalyticsStatus, startingPosition?: string): Promise<StoredAnalyticsApplication | undefined> {
    const repository = this.dataSource.getRepository(AnalyticsApplicationEntity);
    const result = await repository.update({ name }, { status, updatedAt: this.now(), ...(startingPosition !== undefined ? { startingPosition } : {}) });
    if (!result.affected) return undefined;
    return this.byName(name);
  }

  /** Moves STARTING to RUNNING once a runner has begun (no change when stopped meanwhile). */
  async markRunning(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE analytics_applications SET status = 'RUNNING', updated_at = now() WHERE id = $1 AND status = 'STARTING'`, [id]);
  }

  /** Stores a checkpoint (source positions and window state together). */
  async saveCheckpoint(id: string, checkpoint: unknown): Promise<void> {
    await this.dataSource.query(`UPDATE analytics_applications SET checkpoint = $2::jsonb WHERE id = $1`, [id, JSON.stringify(checkpoint)]);
  }

  async delete(name: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(AnalyticsApplicationEntity).delete({ name });
    return (result.affected ?? 0) > 0;
  }
}
