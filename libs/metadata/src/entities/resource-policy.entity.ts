import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { StreamEntity } from './stream.entity';

/** The policy document attached to a stream or consumer (PutResourcePolicy), keyed by the resource's ARN. */
@Entity('resource_policies')
@Index('resource_policies_stream_id_idx', ['streamId'])
export class ResourcePolicyEntity {
  @PrimaryColumn({ name: 'resource_arn', type: 'varchar', length: 2048, primaryKeyConstraintName: 'resource_policies_pkey' })
  resourceArn!: string;

  @Column({ name: 'stream_id', type: 'uuid' })
  streamId!: string;

  @ManyToOne('StreamEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stream_id', foreignKeyConstraintName: 'resource_policies_stream_id_fk' })
  stream?: StreamEntity;

  @Column({ type: 'text' })
  policy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
