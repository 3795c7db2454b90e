import { decodeMessage } from '@shardline/messaging';
import type { ShardAddress, ShardStore } from '@shardline/messaging';
import type { RecordPosition } from '@shardline/protocol';

/**
 * Finds the first position whose arrival time is at or after `timestampMs`, by binary
 * search over the shard's sequences (arrival times never decrease within a shard: the
 * actor stamps them monotonically). Past the newest record it answers the tip.
 */
export async function positionAtTimestamp(store: ShardStore, shard: ShardAddress, timestampMs: number): Promise<RecordPosition> {
  const { firstSeq, lastSeq } = await store.bounds(shard);
  let lo = Math.max(firstSeq, 1);
  let hi = lastSeq + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const arrival = await arrivalAt(store, shard, mid);
    if (arrival === undefined || arrival >= timestampMs) hi = mid;
    else lo = mid + 1;
  }
  return { seq: lo, index: 0 };
}

/** Arrival time of the message at seq, or of the record a part belongs to (undefined if gone). */
async function arrivalAt(store: ShardStore, shard: ShardAddress, seq: number): Promise<number | undefined> {
  for (let s = seq; s >= 1; s--) {
    const message = await store.get(shard, s);
    if (!message) return undefined;
    const decoded = decodeMessage(message.payload);
    if (decoded.kind === 'records') return decoded.timestamp;
    if (decoded.index === 0) return partTimestamp(decoded.bytes);
  }
  return undefined;
}

/** The first part of a large record starts with its records header: timestamp at offset 2. */
function partTimestamp(bytes: Buffer): number {
  return bytes.readDoubleLE(2);
}
