import type { ConsumerStatus } from '@shardline/protocol';
import type { StreamConsumerEntity } from './entities/stream-consumer.entity';
import type { StoredConsumer } from './repositories/consumer.repository';

/**
 * The status Kinesis reports for a consumer: DELETING from deregistration until `goneAt`,
 * CREATING until `readyAt`, then ACTIVE. Derived, so no job has to flip it.
 */
export function deriveConsumerStatus(row: Pick<StreamConsumerEntity, 'readyAt' | 'goneAt'>, now: Date): ConsumerStatus {
  if (row.goneAt !== null) return 'DELETING';
  if (now.getTime() < row.readyAt.getTime()) return 'CREATING';
  return 'ACTIVE';
}

/** Maps a consumer row (and its stream's ARN) to the domain consumer, status derived at `now`. */
export function toConsumer(row: StreamConsumerEntity, streamArn: string, now: Date): StoredConsumer {
  return {
    id: row.id,
    streamId: row.streamId,
    name: row.name,
    arn: row.arn,
    status: deriveConsumerStatus(row, now),
    createdAt: row.createdAt,
    streamArn,
  };
}
