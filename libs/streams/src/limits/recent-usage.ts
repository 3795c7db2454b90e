import { messageUsage } from '@shardline/messaging';
import type { ShardAddress, ShardStore } from '@shardline/messaging';
import type { RateLimit } from './rate-window';

/** Usage stamped at one arrival time. */
export interface UsageEntry {
  time: number;
  records: number;
  bytes: number;
}

const WINDOW = 16;

/**
 * What a shard took since `since`, read back from its newest messages (each batch carries
 * its arrival stamp and record count), oldest first. A new owner seeds its write window
 * with it, so moving a shard cannot reset its allowance. The scan stops at the first older
 * message, at a gap (retention), or once a whole limit's worth is found (more changes nothing).
 */
export async function recentUsage(
  store: ShardStore,
  shard: ShardAddress,
  lastSeq: number,
  since: number,
  limit: RateLimit,
): Promise<UsageEntry[]> {
  const entries: UsageEntry[] = [];
  let records = 0;
  let bytes = 0;
  // Parts after a large record's first carry no stamp: they count with their first part.
  let pending = { records: 0, bytes: 0 };
  for (let top = lastSeq; top >= 1; top -= WINDOW) {
    const from = Math.max(1, top - WINDOW + 1);
    const got = await Promise.all(Array.from({ length: top - from + 1 }, (_, i) => store.get(shard, from + i)));
    for (let i = got.length - 1; i >= 0; i--) {
      const message = got[i];
      if (!message || message.seq !== from + i) return entries.reverse();
      const usage = messageUsage(message.payload);
      if (usage.timestamp === undefined) {
        pending = { records: pending.records + usage.records, bytes: pending.bytes + usage.bytes };
        continue;
      }
      if (usage.timestamp <= since) return entries.reverse();
      const entry = { time: usage.timestamp, records: usage.records + pending.records, bytes: usage.bytes + pending.bytes };
      pending = { records: 0, bytes: 0 };
      entries.push(entry);
      records += entry.records;
      bytes += entry.bytes;
      if (records >= limit.count || bytes >= limit.bytes) return entries.reverse();
    }
  }
  return entries.reverse();
}
