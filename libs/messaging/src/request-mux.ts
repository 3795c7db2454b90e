import { createInbox, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';
import { unavailable, internalFailure } from '@shardline/protocol';

interface Pending {
  resolve(msg: Msg): void;
  reject(err: Error): void;
  deadline: number;
}

/**
 * Request/reply over one inbox subscription, for the data plane's hot requests (JetStream
 * publishes and direct gets). nats.js's `request()` builds a timer and an Error with a
 * stack trace for every call, which costs more than the request itself at thousands per
 * second; here a request is a map entry, and one sweep a second times out the stragglers.
 */
export class RequestMux {
  private readonly prefix = createInbox();
  private readonly pending = new Map<string, Pending>();
  private readonly subscription: Subscription;
  private readonly sweeper: NodeJS.Timeout;
  private next = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly timeoutMs = 10_000,
  ) {
    this.subscription = nc.subscribe(`${this.prefix}.*`, { callback: (_err, msg) => this.answer(msg) });
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  request(subject: string, payload: Uint8Array | string, headers?: MsgHdrs): Promise<Msg> {
    const token = (this.next++).toString(36);
    return new Promise((resolve, reject) => {
      this.pending.set(token, { resolve, reject, deadline: Date.now() + this.timeoutMs });
      try {
        this.nc.publish(subject, payload, { reply: `${this.prefix}.${token}`, headers });
      } catch (err) {
        this.pending.delete(token);
        reject(internalFailure(`request on ${subject} failed`, err));
      }
    });
  }

  close(): void {
    clearInterval(this.sweeper);
    this.subscription.unsubscribe();
    for (const p of this.pending.values()) p.reject(unavailable('connection closing'));
    this.pending.clear();
  }

  private answer(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length + 1);
    const pending = this.pending.get(token);
    if (!pending) return;
    this.pending.delete(token);
    if (msg.headers?.code === 503) pending.reject(unavailable('no responder'));
    else pending.resolve(msg);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, p] of this.pending) {
      if (p.deadline > now) continue;
      this.pending.delete(token);
      p.reject(internalFailure('request timed out; it may or may not have taken effect'));
    }
  }
}
