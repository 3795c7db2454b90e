import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A live `shards` process, kept alive by heartbeats; expired rows are dead owners. */
@Entity('shard_owners')
export class ShardOwnerEntity {
  @PrimaryColumn({ type: 'varchar', length: 128, primaryKeyConstraintName: 'shard_owners_pkey' })
  id!: string;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
