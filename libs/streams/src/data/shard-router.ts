import { findRangeIndex, hashKeyHex, partitionKeyHashHex } from '@shardline/protocol';
import type { Shard, Stream } from '@shardline/protocol';

/** Routes hash keys to the open shards of one stream (built once per shard-map version). */
export class ShardRouter {
  private readonly open: Shard[];
  private readonly starts: string[];

  constructor(stream: Stream) {
    this.open = stream.shards
      .filter((s) => s.status === 'OPEN')
      .sort((a, b) => (a.hashKeyStart < b.hashKeyStart ? -1 : 1));
    this.starts = this.open.map((s) => hashKeyHex(s.hashKeyStart));
  }

  /** The open shard whose range holds MD5(partitionKey), or the explicit hash key. */
  route(partitionKey: string, explicitHashKey?: bigint): Shard {
    const keyHex = explicitHashKey === undefined ? partitionKeyHashHex(partitionKey) : hashKeyHex(explicitHashKey);
    return this.open[findRangeIndex(this.starts, keyHex)];
  }
}
