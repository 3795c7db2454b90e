import {
  areAdjacent,
  inUse,
  invalidArgument,
  isValidSplitKey,
  limitExceeded,
  mergePlan,
  notFound,
  shardEndingSequenceNumber,
  shardStartingSequenceNumber,
  splitPlan,
  uniformScalingPlan,
} from '@shardline/protocol';
import type { ReshardPlan, Shard, ShardCountUpdate, Stream, StreamMode, StreamRef } from '@shardline/protocol';
import type { ReshardChild, StreamRepository } from '@shardline/metadata';
import type { ShardStore } from '@shardline/messaging';
import type { ActorRefs } from '../actor/actor-refs';
import type { PlatformConfig } from '../config';
import { DEFAULT_RETRY, retrying, type RetryPolicy } from '../retry';
import type { ChangeNotifier } from './stream-service';

/**
 * SplitShard, MergeShards, UpdateShardCount and UpdateStreamMode. A reshard is fenced:
 * the stream is taken (UPDATING), each parent's actor is sealed (it refuses new appends
 * with a retriable error, writes what it had queued, and answers its last sequence), then
 * one Postgres transaction closes the parents at those sequences and inserts the children.
 * The change notice then makes producers route by the new ranges (the refused puts retry
 * into the children) and supervisors place the children's actors. A record therefore lands
 * in the parent before the seal or in a child after the commit, never both, never neither.
 */
export class Resharder {
  /** A reshard holds the stream UPDATING for `config.reshardHoldMs` at most; a crashed one frees it by itself. */
  constructor(
    private readonly repository: StreamRepository,
    private readonly store: ShardStore,
    private readonly actors: ActorRefs,
    private readonly config: PlatformConfig,
    private readonly notify: ChangeNotifier,
    private readonly now: () => number = Date.now,
    private readonly sealRetry: RetryPolicy = DEFAULT_RETRY,
  ) {}

  async split(ref: StreamRef, shardId: string, newStart: bigint): Promise<void> {
    const stream = await this.find(ref);
    const shard = this.reshardable(stream, shardId);
    await this.checkShardLimit(1);
    if (!isValidSplitKey(shard, newStart)) {
      throw invalidArgument(
        `NewStartingHashKey ${newStart} used in SplitShard() on shard ${shardId} in stream ${stream.name} under account ` +
          `${this.config.accountId} is not both greater than one plus the shard's StartingHashKey ${shard.hashKeyStart} ` +
          `and less than the shard's EndingHashKey ${shard.hashKeyEnd}.`,
      );
    }
    this.checkActive(stream);
    await this.apply(stream, splitPlan(shard, newStart, nextIndex(stream)));
  }

  async merge(ref: StreamRef, shardId: string, adjacentId: string): Promise<void> {
    const stream = await this.find(ref);
    const shard = this.reshardable(stream, shardId);
    const adjacent = this.reshardable(stream, adjacentId);
    if (!areAdjacent(shard, adjacent)) {
      throw invalidArgument(
        `Shards ${shardId} and ${adjacentId} in stream ${stream.name} under account ${this.config.accountId} are not an ` +
          `adjacent pair of shards eligible for merging`,
      );
    }
    this.checkActive(stream);
    await this.apply(stream, mergePlan(shard, adjacent, nextIndex(stream)));
  }

  async updateShardCount(ref: StreamRef, target: number): Promise<ShardCountUpdate> {
    const stream = await this.find(ref);
    this.checkActive(stream);
    const open = stream.shards.filter((s) => s.status === 'OPEN');
    await this.checkScaling(stream, open.length, target);
    await this.apply(stream, uniformScalingPlan(open, target, nextIndex(stream)), true);
    return { currentShardCount: open.length, targetShardCount: target, streamName: stream.name, streamArn: stream.arn };
  }

  async updateMode(ref: StreamRef, mode: StreamMode): Promise<void> {
    const stream = await this.find(ref);
    this.checkActive(stream);
    await this.take(stream);
    try {
      await this.repository.setMode(stream.id, mode);
    } finally {
      await this.release(stream, this.config.updateDelayMs);
    }
  }

  private async apply(stream: Stream, plan: ReshardPlan, scalingOperation = false): Promise<void> {
    const parents = stream.shards.filter((s) => plan.close.includes(s.shardId));
    await this.checkShardLimit(plan.create.filter((s) => s.open).length - parents.length);
    await this.take(stream);
    const sealed = new Map<number, number>();
    try {
      await Promise.all(plan.create.map((s) => this.store.ensure({ streamId: stream.id, shardIndex: s.index }, stream.retentionHours)));
      await this.sealAll(stream, parents, sealed);
      await this.repository.reshard(stream.id, {
        close: parents.map((p) => ({ index: p.index, endingSequenceNumber: shardEndingSequenceNumber(p.index, sealed.get(p.index)!) })),
        create: plan.create.map(toChild),
        scalingOperation,
      });
    } catch (err) {
      await Promise.all([...sealed.keys()].map((index) => this.actors.of({ streamId: stream.id, shardIndex: index }).unseal().catch(() => undefined)));
      await this.release(stream, 0);
      throw err;
    }
    await this.release(stream, this.config.updateDelayMs);
  }

  /** Seals every parent (retrying while a shard has no owner for a moment); fails if any cannot be sealed. */
  private async sealAll(stream: Stream, parents: Shard[], sealed: Map<number, number>): Promise<void> {
    const results = await Promise.allSettled(
      parents.map(async (p) => {
        const address = { streamId: stream.id, shardIndex: p.index };
        const lastSeq = await retrying(() => this.actors.of(address).seal(), (e) => e.type === 'ServiceUnavailable', this.sealRetry);
        sealed.set(p.index, lastSeq);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async take(stream: Stream): Promise<void> {
    if (!(await this.repository.beginUpdate(stream.id, new Date(this.now() + this.config.reshardHoldMs)))) {
      const current = await this.find({ arn: stream.arn });
      throw this.notActive({ ...current, status: current.status === 'ACTIVE' ? 'UPDATING' : current.status });
    }
    this.notify(stream.id);
  }

  private async release(stream: Stream, delayMs: number): Promise<void> {
    await this.repository.endUpdate(stream.id, new Date(this.now() + delayMs));
    this.notify(stream.id);
  }

  private async find(ref: StreamRef): Promise<Stream> {
    const stream = ref.arn ? await this.repository.findByArn(ref.arn) : await this.repository.findByName(ref.name ?? '');
    if (!stream) throw notFound(`Stream ${ref.name ?? ref.arn} under account ${this.config.accountId} not found.`);
    return stream;
  }

  /** An open shard of the stream: ResourceNotFoundException if absent, InvalidArgumentException if closed. */
  private reshardable(stream: Stream, shardId: string): Shard {
    const shard = stream.shards.find((s) => s.shardId === shardId);
    if (!shard) {
      throw notFound(`Could not find shard ${shardId} in stream ${stream.name} under account ${this.config.accountId}.`);
    }
    if (shard.status !== 'OPEN') {
      throw invalidArgument(
        `Shard ${shardId} in stream ${stream.name} under account ${this.config.accountId} has already been merged or ` +
          `split, and thus is not eligible for merging or splitting.`,
      );
    }
    return shard;
  }

  private checkActive(stream: Stream): void {
    if (stream.status !== 'ACTIVE') throw this.notActive(stream);
  }

  private notActive(stream: Stream) {
    return inUse(`Stream ${stream.name} under account ${this.config.accountId} not ACTIVE, instead in state ${stream.status}`);
  }

  /** The account's open-shard limit, counted after the reshard (`added` may be negative). */
  private async checkShardLimit(added: number): Promise<void> {
    if (added <= 0) return;
    const open = await this.repository.countOpenShards();
    if (open + added > this.config.maxShards) {
      throw limitExceeded(
        `This request would exceed the shard limit for the account ${this.config.accountId} in ${this.config.region}. ` +
          `Current limit of shards is ${this.config.maxShards}. Number of additional shards that would have resulted in ` +
          `exceeding the shard limit is ${open + added - this.config.maxShards}.`,
      );
    }
  }

  /** UpdateShardCount's limits: at most double, at least half the open shards, N calls per rolling day. */
  private async checkScaling(stream: Stream, open: number, target: number): Promise<void> {
    if (target > open * 2) {
      throw limitExceeded(
        `UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: ${open} ` +
          `Target shard count: ${target}`,
      );
    }
    if (target * 2 < open) {
      throw limitExceeded(
        `UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: ${open} ` +
          `Target shard count: ${target}`,
      );
    }
    const since = new Date(this.now() - 86_400_000);
    if ((await this.repository.countScalingOperations(stream.id, since)) >= this.config.maxScalingOperationsPerDay) {
      throw limitExceeded(
        `Exceeded the number of UpdateShardCount calls allowed for stream ${stream.name} under account ` +
          `${this.config.accountId}: ${this.config.maxScalingOperationsPerDay} per rolling 24 hour period.`,
      );
    }
  }
}

/** Children get the next index, so their sequence numbers sort above their parents'. */
function nextIndex(stream: Stream): number {
  return stream.shards.reduce((max, s) => Math.max(max, s.index), -1) + 1;
}

function toChild(planned: ReshardPlan['create'][number]): ReshardChild {
  const child: ReshardChild = {
    index: planned.index,
    shardId: planned.shardId,
    hashKeyStart: planned.hashKeyStart,
    hashKeyEnd: planned.hashKeyEnd,
    startingSequenceNumber: shardStartingSequenceNumber(planned.index),
    parentShardId: planned.parentShardId,
  };
  if (planned.adjacentParentShardId !== undefined) child.adjacentParentShardId = planned.adjacentParentShardId;
  // An intermediate piece of a uniform scaling is closed at birth, empty.
  if (!planned.open) child.endingSequenceNumber = shardEndingSequenceNumber(planned.index, 0);
  return child;
}
