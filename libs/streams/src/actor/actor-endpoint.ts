import type { Msg, NatsConnection, Subscription } from 'nats';
import { SpanKind } from '@opentelemetry/api';
import { asShardlineError, shardIdOf } from '@shardline/protocol';
import {
  ACTOR_QUEUE_GROUP,
  APPEND_GROUP_HEADER,
  APPEND_PART_HEADER,
  decodeAppendRequest,
  shardActorSubject,
} from '@shardline/messaging';
import type { AppendReply } from '@shardline/messaging';
import { extractTraceContext, withSpan } from '@shardline/telemetry';
import { ACTOR_CONTROL_HEADER, type AppendResult } from './actor-ref';
import type { ShardActor } from './shard-actor';

/** A group whose requests stop arriving (its sender died) is dropped after this long. */
const GROUP_TTL_MS = 30_000;

interface PendingGroup {
  messages: Buffer[];
  received: number;
  expires: number;
}

/**
 * Serves a local actor to other processes: appends arrive as NATS requests on the actor's
 * subject (a queue group, so one owner answers each even while a lease changes hands).
 * Grouped requests are held until the group is complete, then appended at once.
 */
export function serveActor(nc: NatsConnection, actor: ShardActor): Subscription {
  const subject = shardActorSubject(actor.shard.streamId, actor.shard.shardIndex);
  const groups = new Map<string, PendingGroup>();
  return nc.subscribe(subject, {
    queue: ACTOR_QUEUE_GROUP,
    callback: (err, msg) => {
      if (err) return;
      const control = msg.headers?.get(ACTOR_CONTROL_HEADER);
      if (control) {
        return answer(msg, control === 'seal' ? actor.seal().then((seq) => ({ seqs: [seq] })) : actor.unseal().then(() => ({ seqs: [] })));
      }
      const collected = collect(groups, msg);
      if ('waiting' in collected) return reply(msg, { seqs: [] });
      if ('lost' in collected) return reply(msg, { error: { type: 'ServiceUnavailable', message: 'append group incomplete; retry' } });
      const attributes = {
        'messaging.system': 'nats',
        'shardline.shard_id': shardIdOf(actor.shard.shardIndex),
        'shardline.messages': collected.messages.length,
      };
      answer(msg, withSpan('shard.remoteAppend', attributes, (_span, trace) => actor.append(collected.messages, trace), {
        kind: SpanKind.SERVER,
        parent: extractTraceContext(msg.headers),
      }));
    },
  });
}

type Collected = { messages: Buffer[] } | { waiting: true } | { lost: true };

/** The messages to append now: the request's own, or a completed group's. */
function collect(groups: Map<string, PendingGroup>, msg: Msg): Collected {
  const group = msg.headers?.get(APPEND_GROUP_HEADER);
  if (!group) return { messages: decodeAppendRequest(msg.data) };
  const now = Date.now();
  for (const [id, pending] of groups) if (pending.expires < now) groups.delete(id);
  const [part, total] = (msg.headers?.get(APPEND_PART_HEADER) ?? '1/1').split('/').map(Number);
  const pending = groups.get(group) ?? { messages: [], received: 0, expires: now + GROUP_TTL_MS };
  // Requests of a group come one after the other; a gap means this process missed some
  // (the shard changed owners mid-group): refuse, nothing of the group is written.
  if (part !== pending.received + 1) {
    groups.delete(group);
    return { lost: true };
  }
  pending.messages.push(...decodeAppendRequest(msg.data));
  pending.received = part;
  if (part < total) {
    groups.set(group, pending);
    return { waiting: true };
  }
  groups.delete(group);
  return { messages: pending.messages };
}

function answer(msg: Msg, result: Promise<AppendResult>): void {
  result.then(
    (value) => reply(msg, value),
    (failure) => {
      const { type, message } = asShardlineError(failure);
      reply(msg, { error: { type, message } });
    },
  );
}

function reply(msg: Msg, answer: AppendReply): void {
  msg.respond(JSON.stringify(answer));
}
