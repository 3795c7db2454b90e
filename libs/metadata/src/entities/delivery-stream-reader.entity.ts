import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint.transformer';

/**
 * A reader of a direct-put delivery stream's records besides its own pipeline (an analytics
 * application): it still needs every message after `position`, so the pipeline's purge of
 * delivered messages stops there — while the hold is fresh (`updatedAt` within the hold time).
 */
@Entity('delivery_stream_readers')
@Index('delivery_stream_readers_reader_idx', ['reader'])
export class DeliveryStreamReaderEntity {
  @PrimaryColumn({ name: 'delivery_stream_id', type: 'uuid', primaryKeyConstraintName: 'delivery_stream_readers_pkey' })
  deliveryStreamId!: string;

  /** Who reads, e.g. `analytics:<application id>`. */
  @PrimaryColumn({ name: 'reader', type: 'varchar', length: 128, primaryKeyConstraintName: 'delivery_stream_readers_pkey' })
  reader!: string;

  /** The last JetStream sequence the reader no longer needs. */
  @Column({ name: 'position', type: 'bigint', transformer: bigintNumber, default: 0 })
  position!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
