import { SpanKind, type Context } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import { headers, type MsgHdrs } from 'nats';
import { ShardlineError, shardIdOf } from '@shardline/protocol';
import {
  type RequestMux,
  APPEND_GROUP_HEADER,
  APPEND_PART_HEADER,
  appendRequestSize,
  encodeAppendRequest,
  mapNatsError,
  shardActorSubject,
} from '@shardline/messaging';
import type { AppendReply, ShardAddress } from '@shardline/messaging';
import { injectTraceContext, withSpan } from '@shardline/telemetry';
import { ACTOR_CONTROL_HEADER, type ActorRef, type AppendResult } from './actor-ref';

/**
 * A shard actor in another process, reached by NATS request on its subject (through the
 * process's shared RequestMux: requests in flight fail at once when the NATS connection
 * drops). Requests stay under the server's message limit; an append larger than one
 * request goes as a group.
 */
export class RemoteActorRef implements ActorRef {
  constructor(
    private readonly requests: RequestMux,
    private readonly shard: ShardAddress,
    private readonly limit: number,
  ) {}

  /** One client span per append (all of a group's requests), its context carried in the NATS headers. */
  append(messages: Buffer[], trace?: Context): Promise<AppendResult> {
    const subject = shardActorSubject(this.shard.streamId, this.shard.shardIndex);
    const attributes = {
      'messaging.system': 'nats',
      'messaging.destination.name': subject,
      'shardline.shard_id': shardIdOf(this.shard.shardIndex),
      'shardline.messages': messages.length,
    };
    return withSpan('shard.request', attributes, (_span, ctx) => this.request(messages, ctx), {
      kind: SpanKind.CLIENT,
      parent: trace,
    });
  }

  private async request(messages: Buffer[], trace: Context): Promise<AppendResult> {
    const requests = this.split(messages);
    if (requests.length === 1) return this.send(requests[0], traceHeaders(trace));
    // Too large for one request: send a group that the owner appends at once when its last
    // request arrives, so the append stays contiguous and all-or-nothing (the parts of a
    // large record never interleave with other writes).
    const group = randomUUID();
    let result: AppendResult = { seqs: [] };
    for (let i = 0; i < requests.length; i++) {
      const h = traceHeaders(trace);
      h.set(APPEND_GROUP_HEADER, group);
      h.set(APPEND_PART_HEADER, `${i + 1}/${requests.length}`);
      result = await this.send(requests[i], h);
    }
    return result;
  }

  async seal(): Promise<number> {
    const { seqs } = await this.control('seal');
    return seqs[0] ?? 0;
  }

  async unseal(): Promise<void> {
    await this.control('unseal');
  }

  private control(call: 'seal' | 'unseal'): Promise<AppendResult> {
    const h = headers();
    h.set(ACTOR_CONTROL_HEADER, call);
    return this.send([], h);
  }

  private split(messages: Buffer[]): Buffer[][] {
    const groups: Buffer[][] = [];
    let current: Buffer[] = [];
    for (const message of messages) {
      if (current.length > 0 && appendRequestSize([...current, message]) > this.limit) {
        groups.push(current);
        current = [];
      }
      current.push(message);
    }
    if (current.length > 0) groups.push(current);
    return groups;
  }

  private async send(messages: Buffer[], h: MsgHdrs): Promise<AppendResult> {
    let reply: AppendReply;
    try {
      const msg = await this.requests.request(shardActorSubject(this.shard.streamId, this.shard.shardIndex), encodeAppendRequest(messages), h);
      reply = JSON.parse(msg.string()) as AppendReply;
    } catch (err) {
      const what = `shard ${this.shard.shardIndex} owner`;
      if (err instanceof ShardlineError) throw new ShardlineError(err.type, `${what}: ${err.message}`, { cause: err, retriable: err.retriable });
      throw mapNatsError(err, what);
    }
    if ('error' in reply) throw new ShardlineError(reply.error.type, reply.error.message);
    return reply;
  }
}

function traceHeaders(trace?: Context) {
  const h = headers();
  injectTraceContext(h, trace);
  return h;
}
