import type { Context } from '@opentelemetry/api';
import { headers, type NatsConnection } from 'nats';
import { ShardlineError, internalFailure } from '@shardline/protocol';
import { appendRequestSize, encodeAppendRequest, mapNatsError, shardActorSubject } from '@shardline/messaging';
import type { AppendReply, ShardAddress } from '@shardline/messaging';
import { injectTraceContext } from '@shardline/telemetry';
import type { ActorRef } from './actor-ref';

/**
 * A shard actor in another process, reached by NATS request on its subject. Requests stay
 * under the server's message limit; one too large for it (a single record near 1 MiB on a
 * server with the default 1 MiB max_payload) is refused with a clear error.
 */
export class RemoteActorRef implements ActorRef {
  constructor(
    private readonly nc: NatsConnection,
    private readonly shard: ShardAddress,
    private readonly limit: number,
    private readonly timeoutMs = 10_000,
  ) {}

  async append(messages: Buffer[], trace?: Context): Promise<number[]> {
    const seqs: number[] = [];
    for (const group of this.split(messages)) seqs.push(...(await this.send(group, trace)));
    return seqs;
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

  private async send(messages: Buffer[], trace?: Context): Promise<number[]> {
    const payload = encodeAppendRequest(messages);
    if (payload.length > this.limit + 4096) {
      throw internalFailure('A record is too large for the NATS max_payload between processes; raise max_payload to 2 MiB.');
    }
    let reply: AppendReply;
    try {
      const msg = await this.nc.request(shardActorSubject(this.shard.streamId, this.shard.shardIndex), payload, {
        timeout: this.timeoutMs,
        headers: traceHeaders(trace),
      });
      reply = JSON.parse(msg.string()) as AppendReply;
    } catch (err) {
      throw mapNatsError(err, `shard ${this.shard.shardIndex} owner`);
    }
    if ('error' in reply) throw new ShardlineError(reply.error.type, reply.error.message);
    return reply.seqs;
  }
}

function traceHeaders(trace?: Context) {
  const h = headers();
  injectTraceContext(h, trace);
  return h;
}
