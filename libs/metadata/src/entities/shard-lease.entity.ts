import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint.transformer';
import type { ShardEntity } from './shard.entity';

/** Who runs a shard's actor, until when; `epoch` grows on every takeover (a fencing token). */
@Entity('shard_leases')
@Index('shard_leases_owner_idx', ['owner'])
@Check('shard_leases_epoch_chk', `"epoch" >= 1`)
export class ShardLeaseEntity {
  @PrimaryColumn({ name: 'stream_id', type: 'uuid', primaryKeyConstraintName: 'shard_leases_pkey' })
  streamId!: string;

  @PrimaryColumn({ name: 'shard_index', type: 'integer', primaryKeyConstraintName: 'shard_leases_pkey' })
  shardIndex!: number;

  @ManyToOne('ShardEntity', { onDelete: 'CASCADE' })
  @JoinColumn([
    { name: 'stream_id', referencedColumnName: 'streamId', foreignKeyConstraintName: 'shard_leases_shard_fk' },
    { name: 'shard_index', referencedColumnName: 'shardIndex' },
  ])
  shard?: ShardEntity;

  @Column({ type: 'varchar', length: 128 })
  owner!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'bigint', default: 1, transformer: bigintNumber })
  epoch!: number;
}
