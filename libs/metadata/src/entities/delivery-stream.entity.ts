import { Check, Column, Entity, Index, OneToMany, PrimaryColumn } from 'typeorm';
import type { DeliveryStreamTagEntity } from './delivery-stream-tag.entity';

/**
 * A Firehose delivery stream; one row per creation. Status is derived from time: CREATING
 * until active_at, DELETING from deleting_at until gone_at, then gone (the row waits for
 * the sweep). The destination is the validated AWS configuration as given (defaults filled in).
 */
@Entity('delivery_streams')
@Index('delivery_streams_name_live_uq', ['name'], { unique: true, where: '"gone_at" IS NULL' })
@Index('delivery_streams_gone_at_idx', ['goneAt'])
@Check('delivery_streams_type_chk', `"type" IN ('DirectPut', 'KinesisStreamAsSource')`)
@Check('delivery_streams_destination_kind_chk', `"destination_kind" IN ('ExtendedS3', 'HttpEndpoint', 'Redshift')`)
@Check('delivery_streams_version_id_chk', `"version_id" >= 1`)
@Check('delivery_streams_key_type_chk', `"encryption_key_type" IS NULL OR "encryption_key_type" IN ('AWS_OWNED_CMK', 'CUSTOMER_MANAGED_CMK')`)
@Check('delivery_streams_source_chk', `("type" = 'KinesisStreamAsSource') = ("source_stream_arn" IS NOT NULL)`)
export class DeliveryStreamEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'delivery_streams_pkey' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  type!: 'DirectPut' | 'KinesisStreamAsSource';

  @Column({ name: 'version_id', type: 'integer', default: 1 })
  versionId!: number;

  @Column({ name: 'source_stream_arn', type: 'varchar', length: 512, nullable: true })
  sourceStreamArn!: string | null;

  @Column({ name: 'source_stream_id', type: 'uuid', nullable: true })
  sourceStreamId!: string | null;

  @Column({ name: 'source_role_arn', type: 'varchar', length: 512, nullable: true })
  sourceRoleArn!: string | null;

  @Column({ name: 'destination_kind', type: 'varchar', length: 32 })
  destinationKind!: 'ExtendedS3' | 'HttpEndpoint' | 'Redshift';

  @Column({ name: 'destination_config', type: 'jsonb' })
  destinationConfig!: Record<string, unknown>;

  @Column({ name: 'encryption_enabled', type: 'boolean', default: false })
  encryptionEnabled!: boolean;

  @Column({ name: 'encryption_key_type', type: 'varchar', length: 32, nullable: true })
  encryptionKeyType!: 'AWS_OWNED_CMK' | 'CUSTOMER_MANAGED_CMK' | null;

  @Column({ name: 'encryption_key_arn', type: 'varchar', length: 512, nullable: true })
  encryptionKeyArn!: string | null;

  /** ENABLING / DISABLING until then. */
  @Column({ name: 'encryption_settles_at', type: 'timestamptz', nullable: true })
  encryptionSettlesAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'active_at', type: 'timestamptz' })
  activeAt!: Date;

  @Column({ name: 'deleting_at', type: 'timestamptz', nullable: true })
  deletingAt!: Date | null;

  @Column({ name: 'gone_at', type: 'timestamptz', nullable: true })
  goneAt!: Date | null;

  @OneToMany('DeliveryStreamTagEntity', (tag: DeliveryStreamTagEntity) => tag.deliveryStream)
  tags?: DeliveryStreamTagEntity[];
}
