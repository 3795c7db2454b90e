import type { Context } from '@opentelemetry/api';
import { asShardlineError, batchIndexDigits, sequencePrefix } from '@shardline/protocol';
import type { PutRecordEntry, PutRecordResult, Shard, StreamRef } from '@shardline/protocol';
import { encodeRecordBatches } from '@shardline/messaging';
import type { ActorRefs } from '../actor/actor-refs';
import { DEFAULT_RETRY, retrying, type RetryPolicy } from '../retry';
import type { StreamDirectory } from './stream-directory';

interface ShardGroup {
  shard: Shard;
  /** Positions of this shard's records in the request, in request order. */
  positions: number[];
}

/**
 * The write path of PutRecord(s): route each record to its shard in one pass, pack each
 * shard's records into record batches, and hand each batch to the shard's actor. Shards
 * are written in parallel; a shard that fails fails only its own records.
 */
export class RecordProducer {
  constructor(
    private readonly directory: StreamDirectory,
    private readonly actors: ActorRefs,
    private readonly messageLimit: number,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async put(ref: StreamRef, records: PutRecordEntry[], trace?: Context): Promise<PutRecordResult[]> {
    const { stream, router } = await this.directory.active(ref);
    const groups = new Map<number, ShardGroup>();
    for (let i = 0; i < records.length; i++) {
      const shard = router.route(records[i].partitionKey, records[i].explicitHashKey);
      let group = groups.get(shard.index);
      if (!group) groups.set(shard.index, (group = { shard, positions: [] }));
      group.positions.push(i);
    }
    const results: PutRecordResult[] = new Array(records.length);
    await Promise.all([...groups.values()].map((group) => this.putShard(stream.id, group, records, results, trace)));
    return results;
  }

  private async putShard(
    streamId: string,
    group: ShardGroup,
    records: PutRecordEntry[],
    results: PutRecordResult[],
    trace?: Context,
  ) {
    const { shard, positions } = group;
    const messages = encodeRecordBatches(
      positions.map((i) => records[i]),
      this.messageLimit,
    );
    const address = { streamId, shardIndex: shard.index };
    try {
      const payloads = messages.map((m) => m.payload);
      const seqs = await retrying(
        () => this.actors.of(address).append(payloads, trace),
        (err) => err.type === 'ServiceUnavailable',
        this.retry,
      );
      let next = 0;
      for (let m = 0; m < messages.length; m++) {
        const prefix = sequencePrefix(shard.index, firstSeqOfRecord(seqs, messages, m));
        for (let r = 0; r < messages[m].records; r++) {
          results[positions[next++]] = { shardId: shard.shardId, sequenceNumber: prefix + batchIndexDigits(r) };
        }
      }
    } catch (err) {
      const failure = asShardlineError(err);
      const errorCode = failure.type === 'ProvisionedThroughputExceededException' ? failure.type : 'InternalFailure';
      for (const i of positions) results[i] = { errorCode, errorMessage: failure.message };
    }
  }
}

/** A records message's records start at its own sequence; a large record's at its first part's. */
function firstSeqOfRecord(seqs: number[], messages: { records: number }[], m: number): number {
  let first = m;
  while (first > 0 && messages[first - 1].records === 0) first--;
  return seqs[first];
}
