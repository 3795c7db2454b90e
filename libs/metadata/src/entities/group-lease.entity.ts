import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint.transformer';
import type { ConsumerGroupEntity } from './consumer-group.entity';
import type { GroupMemberEntity } from './group-member.entity';

/**
 * Which member of a group reads a shard. `epoch` grows whenever the shard changes hands (a
 * fencing token: a checkpoint carrying an older epoch is refused). The row outlives its member
 * (`member_id` NULL) so the next owner continues the epoch.
 */
@Entity('group_leases')
@Index('group_leases_member_id_idx', ['memberId'])
@Check('group_leases_epoch_chk', `"epoch" >= 1`)
export class GroupLeaseEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid', primaryKeyConstraintName: 'group_leases_pkey' })
  groupId!: string;

  @ManyToOne('ConsumerGroupEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'group_leases_group_id_fk' })
  group?: ConsumerGroupEntity;

  @PrimaryColumn({ name: 'shard_index', type: 'integer', primaryKeyConstraintName: 'group_leases_pkey' })
  shardIndex!: number;

  @Column({ name: 'member_id', type: 'varchar', length: 128, nullable: true })
  memberId!: string | null;

  @ManyToOne('GroupMemberEntity', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'member_id', foreignKeyConstraintName: 'group_leases_member_id_fk' })
  member?: GroupMemberEntity;

  @Column({ type: 'bigint', default: 1, transformer: bigintNumber })
  epoch!: number;

  @Column({ name: 'assigned_at', type: 'timestamptz', default: () => 'now()' })
  assignedAt!: Date;

  /** When the new holder may start reading: later than `assigned_at` while a live previous holder stops. */
  @Column({ name: 'ready_at', type: 'timestamptz', default: () => 'now()' })
  readyAt!: Date;
}
