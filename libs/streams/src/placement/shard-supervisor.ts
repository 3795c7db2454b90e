import type { NatsConnection, Subscription } from 'nats';
import type { Stream } from '@shardline/protocol';
import type { LeaseRepository, StreamRepository } from '@shardline/metadata';
import { METADATA_CHANGED_SUBJECT, type ShardAddress, type ShardStore } from '@shardline/messaging';
import { serveActor } from '../actor/actor-endpoint';
import type { LocalActors } from '../actor/local-actors';
import { ShardActor } from '../actor/shard-actor';
import { planClaims } from './placement-plan';
import type { RateLimit } from '../limits/rate-window';

/** Settings of a supervisor; tests shorten the times. */
export interface SupervisorOptions {
  ownerId: string;
  leaseTtlMs: number;
  tickMs: number;
  /**
   * A reshard holds its stream this long at most; an actor still sealed after it belongs to
   * a reshard that died before closing the shard, and takes appends again.
   */
  staleSealMs?: number;
  /** Extra work each tick, e.g. sweeping deleted streams. */
  housekeeping?: () => Promise<void>;
  /** The write limit a shard of this stream gets in its actor (none: unthrottled). */
  writeLimit?: (stream: Stream) => RateLimit | undefined;
  /** Told after each append round of an actor here (enhanced fan-out's append notices). */
  onAppended?: (shard: ShardAddress, lastSeq: number) => void;
}

interface Hosted {
  actor: ShardActor;
  subscription: Subscription;
}

const key = (s: ShardAddress) => `${s.streamId}/${s.shardIndex}`;

/**
 * Places shard actors on this process through Postgres leases: every tick it renews its
 * leases (stopping actors whose lease it lost), claims its fair share of unowned or expired
 * shards, and releases extras when new processes join. If it cannot renew for a whole
 * lease time it stops every actor, so two writers never both believe they own a shard
 * (and JetStream's expected-last-sequence fences any write that slips through).
 */
export class ShardSupervisor {
  private readonly hosted = new Map<string, Hosted>();
  private timer?: NodeJS.Timeout;
  private lastRenewal = 0;
  private ticking?: Promise<void>;
  private renewing?: Promise<void>;
  /** A tick came while a round ran: run another right after it. */
  private again = false;
  private stopped = false;

  constructor(
    private readonly leases: LeaseRepository,
    private readonly streams: StreamRepository,
    private readonly store: ShardStore,
    private readonly local: LocalActors,
    private readonly nc: NatsConnection,
    private readonly options: SupervisorOptions,
  ) {}

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.tickMs);
  }

  /**
   * One round of placement; never throws (a failed round is retried next tick). While a round
   * is still running (a shard's start waiting on JetStream, e.g. for a replicated stream to
   * elect a new leader after a NATS node died), a tick only renews the leases: a slow start
   * must not let this process's other leases expire and stop its running actors. Another
   * round follows it at once: a change notice (shards released by a process stopping) that
   * came during a round is not left waiting for the next tick.
   */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.ticking) {
      this.again = true;
      this.renewing ??= this.renew()
        .then(() => undefined, () => undefined)
        .finally(() => (this.renewing = undefined));
      return this.ticking;
    }
    this.ticking = this.round()
      .catch(() => this.fenceIfStale())
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          void this.tick();
        }
      });
    return this.ticking;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
    await this.renewing;
    const streams = new Set([...this.hosted.values()].map((h) => h.actor.shard.streamId));
    await Promise.all([...this.hosted.keys()].map((k) => this.unhost(k, true)));
    await this.leases.releaseAll(this.options.ownerId).catch(() => undefined);
    await this.leases.removeOwner(this.options.ownerId).catch(() => undefined);
    // Announced, the released shards are placed by the other processes now rather than at their next tick.
    for (const streamId of streams) this.nc.publish(METADATA_CHANGED_SUBJECT, streamId);
  }

  owned(): ShardAddress[] {
    return [...this.hosted.values()].map((h) => h.actor.shard);
  }

  /** Renews this process's heartbeat and leases; answers the shards it still holds. */
  private async renew(): Promise<Set<string>> {
    const { ownerId, leaseTtlMs } = this.options;
    await this.leases.heartbeat(ownerId, leaseTtlMs);
    const held = new Set((await this.leases.renew(ownerId, leaseTtlMs)).map(key));
    this.lastRenewal = Date.now();
    return held;
  }

  private async round(): Promise<void> {
    const { ownerId, leaseTtlMs } = this.options;
    const held = await this.renew();
    const [owners, shards, leases] = await Promise.all([
      this.leases.liveOwners(),
      this.leases.assignableShards(),
      this.leases.leases(),
    ]);
    const plan = planClaims({ ownerId, owners, shards, leases, held: [...held], now: new Date() });
    for (const k of this.hosted.keys()) if (!held.has(k) || plan.release.some((s) => key(s) === k)) await this.unhost(k);
    for (const shard of plan.release) await this.leases.release(shard.streamId, shard.shardIndex, ownerId);
    // Shards start side by side: one start may wait seconds on JetStream (a stream electing a
    // new leader), and the others must not queue behind it.
    await settleAll([
      ...plan.keep.filter((shard) => !this.hosted.has(key(shard))).map((shard) => this.host(shard)),
      ...plan.claim.map(async (shard) => {
        if (await this.leases.tryClaim(shard.streamId, shard.shardIndex, ownerId, leaseTtlMs)) await this.host(shard);
      }),
    ]);
    await this.reopenStaleSeals();
    await this.options.housekeeping?.();
  }

  private async reopenStaleSeals(): Promise<void> {
    const limit = Date.now() - (this.options.staleSealMs ?? 30_000);
    for (const { actor } of this.hosted.values()) {
      const sealedAt = actor.sealedAt;
      if (sealedAt === undefined || sealedAt > limit) continue;
      const stream = await this.streams.findById(actor.shard.streamId);
      const open = stream?.shards.some((s) => s.index === actor.shard.shardIndex && s.status === 'OPEN');
      // The reshard's hold on the stream has expired, so it can no longer close this shard.
      if (stream && open && stream.status !== 'UPDATING') await actor.unseal();
    }
  }

  private async host(shard: ShardAddress): Promise<void> {
    const stream = await this.streams.findById(shard.streamId);
    // A shard closed by a reshard since the round began never gets a writer again.
    if (!stream?.shards.some((s) => s.index === shard.shardIndex && s.status === 'OPEN')) return;
    const limit = this.options.writeLimit?.(stream);
    const onAppended = this.options.onAppended;
    const actor = new ShardActor(this.store, shard, Date.now, () => void this.unhost(key(shard)), limit, (lastSeq) =>
      onAppended?.(shard, lastSeq),
    );
    await actor.start(stream.retentionHours);
    this.local.add(actor);
    this.hosted.set(key(shard), { actor, subscription: serveActor(this.nc, actor) });
  }

  /**
   * Stops a shard's actor. `drain` (the process is stopping, the lease is still its own):
   * appends already delivered to this process are served before the subscription ends, so
   * their callers get an answer instead of a timeout.
   */
  private async unhost(k: string, drain = false): Promise<void> {
    const hosted = this.hosted.get(k);
    if (!hosted) return;
    this.hosted.delete(k);
    if (drain) await hosted.subscription.drain().catch(() => hosted.subscription.unsubscribe());
    else hosted.subscription.unsubscribe();
    this.local.remove(hosted.actor);
    await hosted.actor.stop();
  }

  /** Without a renewal for a lease time, our leases may be someone else's: stop writing. */
  private async fenceIfStale(): Promise<void> {
    if (Date.now() - this.lastRenewal < this.options.leaseTtlMs) return;
    await Promise.all([...this.hosted.keys()].map((k) => this.unhost(k)));
  }
}

/** Waits for every promise, then fails with the first failure, if any (the round is retried next tick). */
async function settleAll(work: Array<Promise<void>>): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
