import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { TransformPluginEntity } from './transform-plugin.entity';

/** How a plugin's code is packaged: one CommonJS or ES module file, or a gzipped tarball. */
export type PluginCodeKind = 'js' | 'mjs' | 'tgz';

/** One immutable, numbered version of a plugin: its code and the configuration it runs with. */
@Entity('transform_plugin_versions')
@Check('transform_plugin_versions_kind_chk', `"kind" IN ('js', 'mjs', 'tgz')`)
@Check('transform_plugin_versions_version_chk', `"version" >= 1`)
@Check('transform_plugin_versions_memory_chk', `"memory_mib" BETWEEN 32 AND 10240`)
@Check('transform_plugin_versions_timeout_chk', `"timeout_seconds" BETWEEN 1 AND 300`)
export class TransformPluginVersionEntity {
  @PrimaryColumn({ name: 'plugin_name', type: 'varchar', length: 64, primaryKeyConstraintName: 'transform_plugin_versions_pkey' })
  pluginName!: string;

  @ManyToOne('TransformPluginEntity', (plugin: TransformPluginEntity) => plugin.versions, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'plugin_name', foreignKeyConstraintName: 'transform_plugin_versions_plugin_name_fk' })
  plugin?: TransformPluginEntity;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'transform_plugin_versions_pkey' })
  version!: number;

  @Column({ type: 'varchar', length: 8 })
  kind!: PluginCodeKind;

  /** Exported function name (Lambda's handler without the file part). */
  @Column({ type: 'varchar', length: 128 })
  handler!: string;

  @Column({ type: 'bytea', select: false })
  code!: Buffer;

  @Column({ name: 'code_sha256', type: 'char', length: 64 })
  codeSha256!: string;

  @Column({ name: 'code_size', type: 'integer' })
  codeSize!: number;

  /** The only environment variables the plugin's process gets. */
  @Column({ type: 'jsonb', default: {} })
  environment!: Record<string, string>;

  @Column({ name: 'memory_mib', type: 'integer' })
  memoryMiB!: number;

  @Column({ name: 'timeout_seconds', type: 'integer' })
  timeoutSeconds!: number;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
