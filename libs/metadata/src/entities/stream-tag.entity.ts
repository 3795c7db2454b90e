import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { StreamEntity } from './stream.entity';

/** A tag on a stream; keys are unique per stream. */
@Entity('stream_tags')
export class StreamTagEntity {
  @PrimaryColumn({ name: 'stream_id', type: 'uuid', primaryKeyConstraintName: 'stream_tags_pkey' })
  streamId!: string;

  @ManyToOne('StreamEntity', (stream: StreamEntity) => stream.tags, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stream_id', foreignKeyConstraintName: 'stream_tags_stream_id_fk' })
  stream?: StreamEntity;

  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'stream_tags_pkey' })
  key!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  value!: string | null;
}
