import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { StreamEntity } from './stream.entity';

/** A server-side consumer group: a name per stream whose members share the stream's shards. */
@Entity('consumer_groups')
@Index('consumer_groups_stream_name_uq', ['streamId', 'name'], { unique: true })
export class ConsumerGroupEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'consumer_groups_pkey' })
  id!: string;

  @Column({ name: 'stream_id', type: 'uuid' })
  streamId!: string;

  @ManyToOne('StreamEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stream_id', foreignKeyConstraintName: 'consumer_groups_stream_id_fk' })
  stream?: StreamEntity;

  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
