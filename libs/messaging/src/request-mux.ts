import { createInbox, Events, type Msg, type MsgHdrs, type NatsConnection, type Subscription } from 'nats';
import { unavailable, internalFailure } from '@shardline/protocol';

interface Pending {
  resolve(msg: Msg): void;
  reject(err: Error): void;
  deadline: number;
  subject: string;
}

/**
 * Request/reply over one inbox subscription, for the data plane's hot requests (JetStream
 * publishes and direct gets). nats.js's `request()` builds a timer and an Error with a
 * stack trace for every call, which costs more than the request itself at thousands per
 * second; here a request is a map entry, and one sweep a second times out the stragglers.
 * When the connection drops (its server died), the requests in flight fail at once, and
 * those made until it is back fail at the reconnect: their replies (or the requests
 * themselves) were lost with the connection, and waiting for the deadline would stall
 * every caller (a shard actor's mailbox, a PutRecords) for the whole timeout.
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
    void this.failOnDisconnect();
  }

  request(subject: string, payload: Uint8Array | string, headers?: MsgHdrs): Promise<Msg> {
    const token = (this.next++).toString(36);
    return new Promise((resolve, reject) => {
      this.pending.set(token, { resolve, reject, deadline: Date.now() + this.timeoutMs, subject });
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

  /**
   * On a disconnect, fails the requests in flight; on the reconnect, those made while the
   * connection was down (nats.js may have dropped their publishes with the old connection).
   */
  private async failOnDisconnect(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type !== Events.Disconnect && status.type !== Events.Reconnect) continue;
      for (const p of this.pending.values()) {
        p.reject(internalFailure('connection to NATS lost; the request may or may not have taken effect'));
      }
      this.pending.clear();
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, p] of this.pending) {
      if (p.deadline > now) continue;
      this.pending.delete(token);
      p.reject(internalFailure(`request on ${p.subject} timed out; it may or may not have taken effect`));
    }
  }
}
