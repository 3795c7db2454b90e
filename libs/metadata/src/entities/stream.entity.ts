import { Check, Column, Entity, Index, OneToMany, PrimaryColumn } from 'typeorm';
import type { ShardEntity } from './shard.entity';
import type { StreamTagEntity } from './stream-tag.entity';

/** Stored lifecycle status; CREATING and DELETING are derived from ready_at / gone_at. */
export type StoredStreamStatus = 'ACTIVE' | 'UPDATING';

/** A Kinesis data stream; one row per creation, so a re-created name gets a new id. */
@Entity('streams')
@Index('streams_name_live_uq', ['name'], { unique: true, where: '"gone_at" IS NULL' })
@Index('streams_gone_at_idx', ['goneAt'])
@Check('streams_mode_chk', `"mode" IN ('PROVISIONED', 'ON_DEMAND')`)
@Check('streams_status_chk', `"status" IN ('ACTIVE', 'UPDATING')`)
@Check('streams_retention_hours_chk', `"retention_hours" BETWEEN 1 AND 8760`)
@Check('streams_encryption_type_chk', `"encryption_type" IN ('NONE', 'KMS')`)
@Check('streams_max_record_size_kib_chk', `"max_record_size_kib" BETWEEN 1024 AND 10240`)
export class StreamEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'streams_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 2048 })
  arn!: string;

  @Column({ type: 'varchar', length: 16 })
  mode!: 'PROVISIONED' | 'ON_DEMAND';

  @Column({ type: 'varchar', length: 16, default: 'ACTIVE' })
  status!: StoredStreamStatus;

  @Column({ name: 'retention_hours', type: 'integer', default: 24 })
  retentionHours!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'ready_at', type: 'timestamptz' })
  readyAt!: Date;

  @Column({ name: 'deleting_at', type: 'timestamptz', nullable: true })
  deletingAt!: Date | null;

  @Column({ name: 'gone_at', type: 'timestamptz', nullable: true })
  goneAt!: Date | null;

  @Column({ name: 'encryption_type', type: 'varchar', length: 8, default: 'NONE' })
  encryptionType!: 'NONE' | 'KMS';

  @Column({ name: 'key_id', type: 'varchar', length: 2048, nullable: true })
  keyId!: string | null;

  /** UPDATING until then (a reshard or mode change); null when never updated. */
  @Column({ name: 'updating_until', type: 'timestamptz', nullable: true })
  updatingUntil!: Date | null;

  /** Times of recent UpdateShardCount calls (the rolling 24-hour limit). */
  @Column({ name: 'scaling_operations', type: 'timestamptz', array: true, default: () => "'{}'" })
  scalingOperations!: Date[];

  @Column({ name: 'shard_level_metrics', type: 'text', array: true, default: () => "'{}'" })
  shardLevelMetrics!: string[];

  @Column({ name: 'max_record_size_kib', type: 'integer', default: 1024 })
  maxRecordSizeKiB!: number;

  @OneToMany('ShardEntity', (shard: ShardEntity) => shard.stream)
  shards?: ShardEntity[];

  @OneToMany('StreamTagEntity', (tag: StreamTagEntity) => tag.stream)
  tags?: StreamTagEntity[];
}
