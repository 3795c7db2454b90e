import { decodeSequenceNumber, invalidArgument, shardIdOf } from '@shardline/protocol';
import type { IteratorRequest, RecordPosition, Shard, Stream } from '@shardline/protocol';
import type { ShardStore } from '@shardline/messaging';
import { positionAtTimestamp } from './shard-positions';

/** Highest index inside one record batch (the last 7 digits of a sequence number). */
const MAX_BATCH_INDEX = 9_999_999;

/**
 * Where a read starts in a shard, for GetShardIterator and SubscribeToShard alike:
 * TRIM_HORIZON the oldest record, LATEST past the newest, AT_TIMESTAMP the first record
 * that arrived at or after the time, AT_/AFTER_SEQUENCE_NUMBER at or just past the record.
 */
export async function startPosition(store: ShardStore, stream: Stream, shard: Shard, request: IteratorRequest): Promise<RecordPosition> {
  const address = { streamId: stream.id, shardIndex: shard.index };
  switch (request.type) {
    case 'TRIM_HORIZON':
      return { seq: 0, index: 0 };
    case 'LATEST':
      return { seq: (await store.bounds(address)).lastSeq + 1, index: 0 };
    case 'AT_TIMESTAMP':
      return positionAtTimestamp(store, address, request.timestamp?.getTime() ?? 0);
    case 'AT_SEQUENCE_NUMBER':
    case 'AFTER_SEQUENCE_NUMBER': {
      const { shardIndex, position } = decodeSequenceNumber(request.sequenceNumber ?? '');
      if (shardIndex !== shard.index) {
        throw invalidArgument(
          `Invalid StartingSequenceNumber. It encodes ${shardIdOf(shardIndex)}, while it was used in a call to a ` +
            `shard with ${shard.shardId}`,
        );
      }
      if (request.type === 'AT_SEQUENCE_NUMBER') return position;
      // Past a batch's last possible index is the next message (continuation numbers end there).
      return position.index >= MAX_BATCH_INDEX ? { seq: position.seq + 1, index: 0 } : { seq: position.seq, index: position.index + 1 };
    }
  }
}
