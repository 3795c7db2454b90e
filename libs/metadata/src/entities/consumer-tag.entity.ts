import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { StreamConsumerEntity } from './stream-consumer.entity';

/** A tag on an enhanced fan-out consumer; keys are unique per consumer. */
@Entity('consumer_tags')
export class ConsumerTagEntity {
  @PrimaryColumn({ name: 'consumer_id', type: 'uuid', primaryKeyConstraintName: 'consumer_tags_pkey' })
  consumerId!: string;

  @ManyToOne('StreamConsumerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'consumer_id', foreignKeyConstraintName: 'consumer_tags_consumer_id_fk' })
  consumer?: StreamConsumerEntity;

  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'consumer_tags_pkey' })
  key!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  value!: string | null;
}
