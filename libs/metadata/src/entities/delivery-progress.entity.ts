import { Check, Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintNumber } from './bigint.transformer';

/**
 * How far a delivery stream has delivered one of its sources (the direct-put stream, or one
 * shard of a source stream): every message up to `committedSeq` reached the destination. A
 * batch being delivered is written down first (`pendingFromSeq`..`pendingToSeq`), so after a
 * crash the same messages form the same batch again and overwrite the same objects.
 */
@Entity('delivery_progress')
@Check('delivery_progress_pending_chk', `("pending_from_seq" IS NULL) = ("pending_to_seq" IS NULL)`)
export class DeliveryProgressEntity {
  @PrimaryColumn({ name: 'delivery_stream_id', type: 'uuid', primaryKeyConstraintName: 'delivery_progress_pkey' })
  deliveryStreamId!: string;

  /** '' for a direct-put source, else the shard id of the source stream. */
  @PrimaryColumn({ name: 'source', type: 'varchar', length: 128, primaryKeyConstraintName: 'delivery_progress_pkey' })
  source!: string;

  @Column({ name: 'committed_seq', type: 'bigint', transformer: bigintNumber, default: 0 })
  committedSeq!: number;

  @Column({ name: 'pending_from_seq', type: 'bigint', transformer: bigintNumber, nullable: true })
  pendingFromSeq!: number | null;

  @Column({ name: 'pending_to_seq', type: 'bigint', transformer: bigintNumber, nullable: true })
  pendingToSeq!: number | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
