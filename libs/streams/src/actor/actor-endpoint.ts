import type { NatsConnection, Subscription } from 'nats';
import { asShardlineError } from '@shardline/protocol';
import { ACTOR_QUEUE_GROUP, decodeAppendRequest, shardActorSubject } from '@shardline/messaging';
import type { AppendReply } from '@shardline/messaging';
import { extractTraceContext, withSpan } from '@shardline/telemetry';
import type { ShardActor } from './shard-actor';

/**
 * Serves a local actor to other processes: appends arrive as NATS requests on the actor's
 * subject (a queue group, so one owner answers each even while a lease changes hands).
 */
export function serveActor(nc: NatsConnection, actor: ShardActor): Subscription {
  const subject = shardActorSubject(actor.shard.streamId, actor.shard.shardIndex);
  return nc.subscribe(subject, {
    queue: ACTOR_QUEUE_GROUP,
    callback: (err, msg) => {
      if (err) return;
      const parent = extractTraceContext(msg.headers);
      withSpan('shard.remoteAppend', {}, (_span, trace) => actor.append(decodeAppendRequest(msg.data), trace), { parent }).then(
        (seqs) => msg.respond(JSON.stringify({ seqs } satisfies AppendReply)),
        (failure) => {
          const { type, message } = asShardlineError(failure);
          msg.respond(JSON.stringify({ error: { type, message } } satisfies AppendReply));
        },
      );
    },
  });
}
