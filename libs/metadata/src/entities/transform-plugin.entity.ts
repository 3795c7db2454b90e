import { Check, Column, Entity, OneToMany, PrimaryColumn } from 'typeorm';
import type { TransformPluginVersionEntity } from './transform-plugin-version.entity';

/** A Firehose transform plugin (a "Lambda function"): its name and the number of its newest version. */
@Entity('transform_plugins')
@Check('transform_plugins_name_chk', `"name" ~ '^[A-Za-z0-9_-]{1,64}$'`)
@Check('transform_plugins_latest_version_chk', `"latest_version" >= 0`)
export class TransformPluginEntity {
  @PrimaryColumn({ type: 'varchar', length: 64, primaryKeyConstraintName: 'transform_plugins_pkey' })
  name!: string;

  @Column({ name: 'latest_version', type: 'integer', default: 0 })
  latestVersion!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @OneToMany('TransformPluginVersionEntity', (version: TransformPluginVersionEntity) => version.plugin)
  versions?: TransformPluginVersionEntity[];
}
