import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { ConsumerGroupEntity } from './consumer-group.entity';

/**
 * How far a group has processed a shard: the last sequence number checkpointed, and whether
 * that is the end of a closed shard (then the shard's children may be handed out).
 */
@Entity('group_checkpoints')
export class GroupCheckpointEntity {
  @PrimaryColumn({ name: 'group_id', type: 'uuid', primaryKeyConstraintName: 'group_checkpoints_pkey' })
  groupId!: string;

  @ManyToOne('ConsumerGroupEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'group_checkpoints_group_id_fk' })
  group?: ConsumerGroupEntity;

  @PrimaryColumn({ name: 'shard_index', type: 'integer', primaryKeyConstraintName: 'group_checkpoints_pkey' })
  shardIndex!: number;

  @Column({ name: 'sequence_number', type: 'varchar', length: 64 })
  sequenceNumber!: string;

  @Column({ name: 'shard_end', type: 'boolean', default: false })
  shardEnd!: boolean;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
