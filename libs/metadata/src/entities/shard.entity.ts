import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { numericBigint } from './bigint.transformer';
import type { StreamEntity } from './stream.entity';

/** One shard of a stream: its hash-key range, lineage and sequence range. */
@Entity('shards')
@Index('shards_stream_id_shard_id_uq', ['streamId', 'shardId'], { unique: true })
@Check('shards_hash_key_range_chk', `"hash_key_start" <= "hash_key_end"`)
@Check('shards_status_chk', `"status" IN ('OPEN', 'CLOSED')`)
export class ShardEntity {
  @PrimaryColumn({ name: 'stream_id', type: 'uuid', primaryKeyConstraintName: 'shards_pkey' })
  streamId!: string;

  @ManyToOne('StreamEntity', (stream: StreamEntity) => stream.shards, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'stream_id', foreignKeyConstraintName: 'shards_stream_id_fk' })
  stream?: StreamEntity;

  @PrimaryColumn({ name: 'shard_index', type: 'integer', primaryKeyConstraintName: 'shards_pkey' })
  shardIndex!: number;

  @Column({ name: 'shard_id', type: 'varchar', length: 64 })
  shardId!: string;

  @Column({ name: 'hash_key_start', type: 'numeric', precision: 39, scale: 0, transformer: numericBigint })
  hashKeyStart!: bigint;

  @Column({ name: 'hash_key_end', type: 'numeric', precision: 39, scale: 0, transformer: numericBigint })
  hashKeyEnd!: bigint;

  @Column({ name: 'starting_sequence_number', type: 'varchar', length: 128 })
  startingSequenceNumber!: string;

  @Column({ name: 'ending_sequence_number', type: 'varchar', length: 128, nullable: true })
  endingSequenceNumber!: string | null;

  @Column({ name: 'parent_shard_id', type: 'varchar', length: 64, nullable: true })
  parentShardId!: string | null;

  @Column({ name: 'adjacent_parent_shard_id', type: 'varchar', length: 64, nullable: true })
  adjacentParentShardId!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'OPEN' })
  status!: 'OPEN' | 'CLOSED';

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
