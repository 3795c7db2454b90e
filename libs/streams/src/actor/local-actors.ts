import type { ShardAddress } from '@shardline/messaging';
import type { ShardActor } from './shard-actor';

const key = (shard: ShardAddress) => `${shard.streamId}/${shard.shardIndex}`;

/** The shard actors living in this process, so local callers skip the NATS hop. */
export class LocalActors {
  private readonly actors = new Map<string, ShardActor>();

  add(actor: ShardActor): void {
    this.actors.set(key(actor.shard), actor);
  }

  remove(actor: ShardActor): void {
    if (this.actors.get(key(actor.shard)) === actor) this.actors.delete(key(actor.shard));
  }

  get(shard: ShardAddress): ShardActor | undefined {
    const actor = this.actors.get(key(shard));
    return actor?.status === 'running' ? actor : undefined;
  }

  all(): ShardActor[] {
    return [...this.actors.values()];
  }
}
