import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TransformPluginEntity } from '../entities/transform-plugin.entity';
import { TransformPluginVersionEntity, type PluginCodeKind } from '../entities/transform-plugin-version.entity';

/** The Postgres NOTIFY channel a new plugin version is announced on; payload `{"name":..,"version":..}` (0: deleted). */
export const PLUGIN_VERSION_CHANNEL = 'shardline_plugin_versions';

/** A version to publish: code plus the configuration it runs with. */
export interface NewPluginVersion {
  name: string;
  kind: PluginCodeKind;
  code: Buffer;
  handler: string;
  environment: Record<string, string>;
  memoryMiB: number;
  timeoutSeconds: number;
  description: string;
}

/** A stored version, without its code. */
export interface StoredPluginVersion {
  name: string;
  version: number;
  kind: PluginCodeKind;
  handler: string;
  codeSha256: string;
  codeSize: number;
  environment: Record<string, string>;
  memoryMiB: number;
  timeoutSeconds: number;
  description: string;
  createdAt: Date;
}

/** A plugin and the number of its newest version. */
export interface StoredPlugin {
  name: string;
  latestVersion: number;
  createdAt: Date;
  updatedAt: Date;
}

function versionOf(row: TransformPluginVersionEntity): StoredPluginVersion {
  return {
    name: row.pluginName,
    version: row.version,
    kind: row.kind,
    handler: row.handler,
    codeSha256: row.codeSha256,
    codeSize: row.codeSize,
    environment: row.environment,
    memoryMiB: row.memoryMiB,
    timeoutSeconds: row.timeoutSeconds,
    description: row.description,
    createdAt: row.createdAt,
  };
}

const pluginOf = (row: TransformPluginEntity): StoredPlugin => ({
  name: row.name,
  latestVersion: row.latestVersion,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

/** Transform plugins and their immutable versions (Lambda's PublishVersion numbering: 1, 2, ...). */
export class PluginRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores the next version of `name` (creating the plugin) and announces it on PLUGIN_VERSION_CHANNEL at commit. */
  publish(input: NewPluginVersion): Promise<StoredPluginVersion> {
    const now = this.clock();
    return this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(TransformPluginEntity)
        .values({ name: input.name, latestVersion: 0, createdAt: now, updatedAt: now })
        .orIgnore()
        .execute();
      const plugin = await manager
        .getRepository(TransformPluginEntity)
        .createQueryBuilder('p')
        .setLock('pessimistic_write')
        .where('p.name = :name', { name: input.name })
        .getOneOrFail();
      const version = plugin.latestVersion + 1;
      const row: TransformPluginVersionEntity = {
        pluginName: input.name,
        version,
        kind: input.kind,
        handler: input.handler,
        code: input.code,
        codeSha256: createHash('sha256').update(input.code).digest('hex'),
        codeSize: input.code.length,
        environment: input.environment,
        memoryMiB: input.memoryMiB,
        timeoutSeconds: input.timeoutSeconds,
        description: input.description,
        createdAt: now,
      };
      await manager.getRepository(TransformPluginVersionEntity).insert(row);
      await manager.getRepository(TransformPluginEntity).update({ name: input.name }, { latestVersion: version, updatedAt: now });
      // NOTIFY is delivered at commit, so a listener never sees a version it cannot read yet.
      await manager.query('SELECT pg_notify($1, $2)', [PLUGIN_VERSION_CHANNEL, JSON.stringify({ name: input.name, version })]);
      return versionOf(row);
    });
  }

  /** Every plugin, by name. */
  async list(): Promise<StoredPlugin[]> {
    const rows = await this.dataSource.getRepository(TransformPluginEntity).find({ order: { name: 'ASC' } });
    return rows.map(pluginOf);
  }

  async plugin(name: string): Promise<StoredPlugin | undefined> {
    const row = await this.dataSource.getRepository(TransformPluginEntity).findOneBy({ name });
    return row ? pluginOf(row) : undefined;
  }

  /** The versions of `name`, oldest first (empty when the plugin does not exist). */
  async versions(name: string): Promise<StoredPluginVersion[]> {
    const rows = await this.dataSource.getRepository(TransformPluginVersionEntity).find({ where: { pluginName: name }, order: { version: 'ASC' } });
    return rows.map(versionOf);
  }

  /** One version, or the newest when `version` is 'latest'; undefined when there is none. */
  async version(name: string, version: number | 'latest'): Promise<StoredPluginVersion | undefined> {
    const repo = this.dataSource.getRepository(TransformPluginVersionEntity);
    const row =
      version === 'latest'
        ? await repo.findOne({ where: { pluginName: name }, order: { version: 'DESC' } })
        : await repo.findOneBy({ pluginName: name, version });
    return row ? versionOf(row) : undefined;
  }

  /** The code of one version. */
  async code(name: string, version: number): Promise<Buffer | undefined> {
    const row = await this.dataSource
      .getRepository(TransformPluginVersionEntity)
      .createQueryBuilder('v')
      .addSelect('v.code')
      .where('v.plugin_name = :name AND v.version = :version', { name, version })
      .getOne();
    return row?.code;
  }

  /** Deletes a plugin with all its versions (announced as version 0); false when it did not exist. */
  delete(name: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.getRepository(TransformPluginEntity).delete({ name });
      if (!result.affected) return false;
      await manager.query('SELECT pg_notify($1, $2)', [PLUGIN_VERSION_CHANNEL, JSON.stringify({ name, version: 0 })]);
      return true;
    });
  }
}
