import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { StreamEntity } from './stream.entity';

/**
 * An enhanced fan-out consumer of a stream; one row per registration, so a re-registered
 * name gets a new id and ARN. CREATING and DELETING derive from ready_at / gone_at.
 */
@Entity('stream_consumers')
@Index('stream_consumers_name_live_uq', ['streamId', 'name'], { unique: true, where: '"gone_at" IS NULL' })
@Index('stream_consumers_arn_idx', ['arn'])
@Index('stream_consumers_gone_at_idx', ['goneAt'])
export class StreamConsumerEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'stream_consumers_pkey' })
  id!: string;

  @Column({ name: 'stream_id', type: 'uuid' })
  streamId!: string;

  @ManyToOne('StreamEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stream_id', foreignKeyConstraintName: 'stream_consumers_stream_id_fk' })
  stream?: StreamEntity;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 2048 })
  arn!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'ready_at', type: 'timestamptz' })
  readyAt!: Date;

  @Column({ name: 'deleting_at', type: 'timestamptz', nullable: true })
  deletingAt!: Date | null;

  @Column({ name: 'gone_at', type: 'timestamptz', nullable: true })
  goneAt!: Date | null;
}
