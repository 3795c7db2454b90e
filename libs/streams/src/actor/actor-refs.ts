import type { NatsConnection } from 'nats';
import { RequestMux, type ShardAddress } from '@shardline/messaging';
import type { ActorRef } from './actor-ref';
import type { LocalActors } from './local-actors';
import { RemoteActorRef } from './remote-actor-ref';

/** Resolves location-transparent references: the local actor when this process owns the shard. */
export class ActorRefs {
  /** One request multiplexer for every remote append of the process; it lives as long as the connection. */
  private readonly requests: RequestMux;

  constructor(
    private readonly local: LocalActors,
    nc: NatsConnection,
    private readonly limit: number,
  ) {
    this.requests = new RequestMux(nc);
  }

  of(shard: ShardAddress): ActorRef {
    return this.local.get(shard) ?? new RemoteActorRef(this.requests, shard, this.limit);
  }
}
