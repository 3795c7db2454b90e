import type { NatsConnection } from 'nats';
import type { ShardAddress } from '@shardline/messaging';
import type { ActorRef } from './actor-ref';
import type { LocalActors } from './local-actors';
import { RemoteActorRef } from './remote-actor-ref';

/** Resolves location-transparent references: the local actor when this process owns the shard. */
export class ActorRefs {
  constructor(
    private readonly local: LocalActors,
    private readonly nc: NatsConnection,
    private readonly limit: number,
  ) {}

  of(shard: ShardAddress): ActorRef {
    return this.local.get(shard) ?? new RemoteActorRef(this.nc, shard, this.limit);
  }
}
