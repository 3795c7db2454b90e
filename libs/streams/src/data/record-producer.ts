import type { Context } from '@opentelemetry/api';
import { asShardlineError, batchIndexDigits, sequencePrefix } from '@shardline/protocol';
import type { PutRecordEntry, PutRecordResult, Shard, StreamRef } from '@shardline/protocol';
import { encodeRecordBatches } from '@shardline/messaging';
import type { ActorRefs } from '../actor/actor-refs';
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from '../retry';
import type { ShardRouter } from './shard-router';
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

  /**
   * Routes, writes, and retries what certainly was not written (ServiceUnavailable: no owner
   * for a moment, or a shard closing for a reshard). Each retry re-reads the shard map and
   * routes again, so records refused by a closing parent go to its children.
   */
  async put(ref: StreamRef, records: PutRecordEntry[], trace?: Context): Promise<PutRecordResult[]> {
    const results: PutRecordResult[] = new Array(records.length);
    let pending: number[] | undefined;
    for (let attempt = 1; ; attempt++) {
      const { stream, router } = await this.directory.active(ref);
      const groups = route(router, records, pending);
      const retry: number[] = [];
      const last = attempt >= this.retry.attempts;
      await Promise.all(groups.map((group) => this.putShard(stream.id, group, records, results, last ? undefined : retry, trace)));
      if (retry.length === 0) return results;
      pending = retry.sort((a, b) => a - b);
      await retryDelay(this.retry, attempt);
      this.directory.invalidate(stream.id);
    }
  }

  /** Writes one shard's records; on a safe-to-retry failure queues them in `retry` when given. */
  private async putShard(
    streamId: string,
    group: ShardGroup,
    records: PutRecordEntry[],
    results: PutRecordResult[],
    retry: number[] | undefined,
    trace?: Context,
  ) {
    const { shard, positions } = group;
    const messages = encodeRecordBatches(
      positions.map((i) => records[i]),
      this.messageLimit,
    );
    const address = { streamId, shardIndex: shard.index };
    try {
      const seqs = await this.actors.of(address).append(
        messages.map((m) => m.payload),
        trace,
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
      if (retry && failure.retriable && failure.type === 'ServiceUnavailable') {
        retry.push(...positions);
        return;
      }
      const errorCode = failure.type === 'ProvisionedThroughputExceededException' ? failure.type : 'InternalFailure';
      for (const i of positions) results[i] = { errorCode, errorMessage: failure.message };
    }
  }
}

/** Groups records (all, or the `pending` positions) by the open shard that takes them, in request order. */
function route(router: ShardRouter, records: PutRecordEntry[], pending?: number[]): ShardGroup[] {
  const groups = new Map<number, ShardGroup>();
  const count = pending ? pending.length : records.length;
  for (let n = 0; n < count; n++) {
    const i = pending ? pending[n] : n;
    const shard = router.route(records[i].partitionKey, records[i].explicitHashKey);
    let group = groups.get(shard.index);
    if (!group) groups.set(shard.index, (group = { shard, positions: [] }));
    group.positions.push(i);
  }
  return [...groups.values()];
}

/** A records message's records start at its own sequence; a large record's at its first part's. */
function firstSeqOfRecord(seqs: number[], messages: { records: number }[], m: number): number {
  let first = m;
  while (first > 0 && messages[first - 1].records === 0) first--;
  return seqs[first];
}
