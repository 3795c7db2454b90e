import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { StreamConsumerEntity } from './stream-consumer.entity';

/**
 * The lease of one SubscribeToShard (consumer + shard), whichever gateway serves it: its
 * holder renews `expires_at` while the subscription lives and deletes the row when it ends.
 */
@Entity('consumer_subscriptions')
@Index('consumer_subscriptions_holder_idx', ['holder'])
export class ConsumerSubscriptionEntity {
  @PrimaryColumn({ name: 'consumer_id', type: 'uuid', primaryKeyConstraintName: 'consumer_subscriptions_pkey' })
  consumerId!: string;

  @ManyToOne('StreamConsumerEntity', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'consumer_id', foreignKeyConstraintName: 'consumer_subscriptions_consumer_id_fk' })
  consumer?: StreamConsumerEntity;

  @PrimaryColumn({ name: 'shard_index', type: 'integer', primaryKeyConstraintName: 'consumer_subscriptions_pkey' })
  shardIndex!: number;

  @Column({ type: 'uuid' })
  holder!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
