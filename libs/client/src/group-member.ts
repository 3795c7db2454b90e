import { randomUUID } from 'node:crypto';
import type { LeasedShardView } from './types';

/** A record delivered to a consumer-group member. */
export interface GroupRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  /** The record's bytes. */
  data: Buffer;
  approximateArrivalTimestamp: Date;
}

/** Records of one leased shard; the shard's next batch comes once the handler resolved (per-shard, so per-key, order). */
export interface GroupRecordBatch {
  memberId: string;
  shardId: string;
  /** The lease's fencing epoch. */
  epoch: number;
  /** The last batch of a closed shard: once handled, its child shards are handed out. */
  shardEnd: boolean;
  millisBehindLatest: number;
  records: GroupRecord[];
}

/** Handles one record; records of a batch are handled one after the other. */
export type GroupRecordHandler = (record: GroupRecord, batch: GroupRecordBatch) => unknown;
/** Handles one batch. */
export type GroupBatchHandler = (batch: GroupRecordBatch) => unknown;

export interface GroupConsumeOptions {
  /** Rejoin under a known id (default: a random UUID). */
  memberId?: string;
  /** `nats` (the default when the client has a NATS connection) or `rest` (REST + Server-Sent Events). */
  transport?: 'nats' | 'rest';
  /** Failures consumption survives: a handler that threw (its batch comes again), a lost connection, a rejoin. */
  onError?: (error: unknown) => void;
  /** Timeout of each NATS request (ms, default 10 s). */
  requestTimeoutMs?: number;
}

/** A running member of a consumer group. */
export interface GroupConsumer {
  readonly memberId: string;
  /** Shards held now (as of the last heartbeat). */
  readonly shards: string[];
  readonly stats: { batches: number; records: number; rejoins: number };
  /** Finishes the batches in hand (they are checkpointed), then leaves: the shards go to the other members at once. */
  stop(): Promise<void>;
}

/** What both transports share: running the handler, counting, and waiting for batches in hand on stop. */
export abstract class GroupMember implements GroupConsumer {
  memberId: string;
  shards: string[] = [];
  readonly stats = { batches: 0, records: 0, rejoins: 0 };
  protected stopping = false;
  private readonly inHand = new Set<Promise<unknown>>();

  constructor(
    readonly stream: string,
    readonly group: string,
    private readonly handler: GroupBatchHandler,
    protected readonly options: GroupConsumeOptions,
  ) {
    this.memberId = options.memberId ?? randomUUID(); // known before the first batch, which may precede the join's answer
  }

  abstract start(): Promise<void>;
  abstract stop(): Promise<void>;

  /** Runs the handler (then `after`, e.g. the checkpoint) and tracks it until done; answers whether the handler succeeded. */
  protected track(batch: GroupRecordBatch, after: (ok: boolean) => Promise<void> | void): void {
    const work = (async () => {
      let ok = true;
      try {
        await this.handler(batch);
        this.stats.batches++;
        this.stats.records += batch.records.length;
      } catch (err) {
        ok = false;
        this.report(err);
      }
      await after(ok);
    })().catch((err: unknown) => this.report(err));
    this.inHand.add(work);
    void work.finally(() => this.inHand.delete(work));
  }

  protected async finishInHand(): Promise<void> {
    while (this.inHand.size > 0) await Promise.allSettled([...this.inHand]);
  }

  protected setShards(shards: LeasedShardView[] | undefined): void {
    if (shards) this.shards = shards.map((s) => s.shardId).sort();
  }

  protected report(err: unknown): void {
    this.options.onError?.(err);
  }
}
