import type { Context } from '@opentelemetry/api';
import { asShardlineError, batchIndexDigits, sequencePrefix } from '@shardline/protocol';
import type { PutRecordEntry, PutRecordResult, PutRecordsOutcome, Shard, Stream, StreamRef } from '@shardline/protocol';
import { encodeRecordBatches, type DataKey, type EncodedMessage } from '@shardline/messaging';
import type { KinesisMetrics, StreamMeters } from '@shardline/telemetry';
import type { ActorRefs } from '../actor/actor-refs';
import type { AppendResult } from '../actor/actor-ref';
import type { DataKeys } from '../encryption/key-store';
import { DEFAULT_RETRY, retryDelay, type RetryPolicy } from '../retry';
import type { ShardRouter } from './shard-router';
import type { StreamDirectory } from './stream-directory';

interface ShardGroup {
  shard: Shard;
  /** Positions of this shard's records in the request, in request order. */
  positions: number[];
}

/** What the producer needs besides routing and actors. */
export interface ProducerOptions {
  /** Named in throttling messages, as AWS names it. */
  accountId: string;
  /** Data keys of encrypted streams; without it, a stream with encryption on cannot be written. */
  dataKeys?: DataKeys;
  retry?: RetryPolicy;
  /** Counts records, bytes, throttled records and call latency per stream when given. */
  metrics?: KinesisMetrics;
}

/**
 * The write path of PutRecord(s): route each record to its shard in one pass, pack each
 * shard's records into record batches (sealed under the stream's data key when the stream
 * is encrypted), and hand each batch to the shard's actor. Shards are written in parallel;
 * a shard that fails fails only its own records, and records the shard's write limit
 * refused get ProvisionedThroughputExceededException each.
 */
export class RecordProducer {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly directory: StreamDirectory,
    private readonly actors: ActorRefs,
    private readonly messageLimit: number,
    private readonly options: ProducerOptions,
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /**
   * Routes, writes, and retries what certainly was not written (ServiceUnavailable: no owner
   * for a moment, or a shard closing for a reshard). Each retry re-reads the shard map and
   * routes again, so records refused by a closing parent go to its children.
   */
  async put(ref: StreamRef, records: PutRecordEntry[], trace?: Context): Promise<PutRecordsOutcome> {
    const started = performance.now();
    const results: PutRecordResult[] = new Array(records.length);
    let pending: number[] | undefined;
    for (let attempt = 1; ; attempt++) {
      const { stream, router } = await this.directory.active(ref);
      const dataKey = stream.encryptionType === 'KMS' ? this.dataKey(stream) : undefined;
      const groups = route(router, records, pending);
      const retry: number[] = [];
      const last = attempt >= this.retry.attempts;
      const meters = this.options.metrics?.of(stream);
      const batch = { stream, records, results, dataKey, trace, meters };
      await Promise.all(groups.map((group) => this.putShard(batch, group, last ? undefined : retry)));
      if (retry.length === 0) {
        meters?.putLatency((performance.now() - started) / 1000);
        return { records: results, encryptionType: dataKey ? 'KMS' : 'NONE' };
      }
      pending = retry.sort((a, b) => a - b);
      await retryDelay(this.retry, attempt);
      this.directory.invalidate(stream.id);
    }
  }

  private dataKey(stream: Stream): DataKey {
    if (!this.options.dataKeys || stream.keyId === undefined) throw new Error(`stream ${stream.name} is encrypted but no key store is set`);
    return this.options.dataKeys.forWriting(stream.keyId);
  }

  /** Writes one shard's records; on a safe-to-retry failure queues them in `retry` when given. */
  private async putShard(batch: PutBatch, group: ShardGroup, retry: number[] | undefined) {
    const { stream, records, results, dataKey, trace, meters } = batch;
    const { shard, positions } = group;
    const messages = encodeRecordBatches(
      positions.map((i) => records[i]),
      this.messageLimit,
      dataKey,
    );
    const address = { streamId: stream.id, shardIndex: shard.index };
    try {
      const written = await this.actors.of(address).append(
        messages.map((m) => m.payload),
        trace,
      );
      const admitted = written.admitted ?? positions.length;
      fillSequences(shard, messages, written, written.admitted === undefined ? positions : positions.slice(0, admitted), results);
      if (meters) countWritten(meters, shard, records, positions, admitted);
      if (admitted < positions.length) this.refuse(stream, shard, positions.slice(admitted), results);
    } catch (err) {
      const failure = asShardlineError(err);
      if (retry && failure.retriable && failure.type === 'ServiceUnavailable') {
        retry.push(...positions);
        return;
      }
      const errorCode = failure.type === 'ProvisionedThroughputExceededException' ? failure.type : 'InternalFailure';
      if (errorCode === 'ProvisionedThroughputExceededException') meters?.writeThrottled(shard.shardId, positions.length);
      for (const i of positions) results[i] = { errorCode, errorMessage: failure.message };
    }
  }

  /** Records the shard's write limit refused: each gets AWS's throttling error. */
  private refuse(stream: Stream, shard: Shard, positions: number[], results: PutRecordResult[]): void {
    const errorMessage = `Rate exceeded for shard ${shard.shardId} in stream ${stream.name} under account ${this.options.accountId}.`;
    for (const i of positions) results[i] = { errorCode: 'ProvisionedThroughputExceededException', errorMessage };
  }
}

/** One attempt of a put: what every shard's write shares. */
interface PutBatch {
  stream: Stream;
  records: PutRecordEntry[];
  results: PutRecordResult[];
  dataKey: DataKey | undefined;
  trace?: Context;
  meters: StreamMeters | undefined;
}

/** Counts a shard's written records and their data bytes (IncomingRecords/Bytes), and the refused ones. */
function countWritten(meters: StreamMeters, shard: Shard, records: PutRecordEntry[], positions: number[], admitted: number): void {
  let bytes = 0;
  for (let n = 0; n < admitted; n++) bytes += records[positions[n]].data.length;
  meters.written(shard.shardId, admitted, bytes);
  if (admitted < positions.length) meters.writeThrottled(shard.shardId, positions.length - admitted);
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

/** Numbers the records written, in order: `positions` are the request positions of the admitted prefix. */
function fillSequences(shard: Shard, messages: EncodedMessage[], written: AppendResult, positions: number[], results: PutRecordResult[]) {
  let next = 0;
  for (let m = 0; m < messages.length && next < positions.length; m++) {
    const prefix = sequencePrefix(shard.index, firstSeqOfRecord(written.seqs, messages, m));
    for (let r = 0; r < messages[m].records && next < positions.length; r++) {
      results[positions[next++]] = { shardId: shard.shardId, sequenceNumber: prefix + batchIndexDigits(r) };
    }
  }
}

/** A records message's records start at its own sequence; a large record's at its first part's. */
function firstSeqOfRecord(seqs: number[], messages: { records: number }[], m: number): number {
  let first = m;
  while (first > 0 && messages[first - 1].records === 0) first--;
  return seqs[first];
}
