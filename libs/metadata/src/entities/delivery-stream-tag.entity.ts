import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { DeliveryStreamEntity } from './delivery-stream.entity';

/** A tag on a delivery stream; keys are unique per delivery stream. */
@Entity('delivery_stream_tags')
export class DeliveryStreamTagEntity {
  @PrimaryColumn({ name: 'delivery_stream_id', type: 'uuid', primaryKeyConstraintName: 'delivery_stream_tags_pkey' })
  deliveryStreamId!: string;

  @ManyToOne('DeliveryStreamEntity', (stream: DeliveryStreamEntity) => stream.tags, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_stream_id', foreignKeyConstraintName: 'delivery_stream_tags_delivery_stream_id_fk' })
  deliveryStream?: DeliveryStreamEntity;

  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'delivery_stream_tags_pkey' })
  key!: string;

  @Column({ type: 'varchar', length: 256, nullable: true })
  value!: string | null;
}
