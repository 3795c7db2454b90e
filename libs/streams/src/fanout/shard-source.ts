import type { Stream } from '@shardline/protocol';
import { childShardsOf } from '../data/child-shards';
import type { ShardReader } from '../data/shard-reader';
import type { StreamDirectory } from '../data/stream-directory';
import type { AppendNotices } from './append-notices';
import type { SubscriptionSource } from './shard-subscription';

/** What a pushed read of a shard needs from the platform. */
export interface ShardSourceParts {
  directory: StreamDirectory;
  reader: ShardReader;
  notices: AppendNotices;
}

/**
 * A ShardSubscription's source bound to one shard: reads by ShardReader within the given
 * budget, the shard's closed state and children from stream metadata, wake-ups from append
 * notices. Shared by enhanced fan-out and consumer groups.
 */
export function shardSource(parts: ShardSourceParts, stream: Stream, shardIndex: number, maxRecords: number, maxBytes: number): SubscriptionSource {
  const { directory, reader, notices } = parts;
  const address = { streamId: stream.id, shardIndex };
  return {
    shardIndex,
    read: (from) => reader.read(address, from, maxRecords, maxBytes),
    shardState: async () => {
      const current = await directory.byId(stream.id);
      const latest = current.shards.find((s) => s.index === shardIndex);
      const closed = latest?.status === 'CLOSED';
      return { closed, children: closed && latest ? childShardsOf(current, latest) : [] };
    },
    watch: (listener) => notices.watch(address, listener),
  };
}
