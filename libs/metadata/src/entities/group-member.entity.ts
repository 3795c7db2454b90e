import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ConsumerGroupEntity } from './consumer-group.entity';

/** A member of a consumer group; alive while `expires_at` (pushed forward by heartbeats) is ahead. */
@Entity('group_members')
@Index('group_members_group_id_idx', ['groupId'])
export class GroupMemberEntity {
  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'group_members_pkey' })
  id!: string;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @ManyToOne('ConsumerGroupEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'group_members_group_id_fk' })
  group?: ConsumerGroupEntity;

  @Column({ name: 'joined_at', type: 'timestamptz', default: () => 'now()' })
  joinedAt!: Date;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', default: () => 'now()' })
  heartbeatAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
