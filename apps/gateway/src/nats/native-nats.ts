import type { Msg, NatsConnection, Subscription } from 'nats';
import {
  NATS_QUEUE,
  natsSubjects,
  errorReply,
  handleApi,
  handlePut,
  nativeOperations,
  type NativeServices,
} from '@shardline/native';

/**
 * The NATS API of a gateway: puts on shardline.put.<stream> and control requests on
 * shardline.api.<operation>, in a queue group so the gateways share them. Each handler
 * delegates to the native lib; failures are answered as {error: problem}.
 */
export class NativeNats {
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly services: NativeServices,
    /** First subject token (config natsApiPrefix): `shardline` unless several Shardlines share a NATS server. */
    private readonly prefix: string,
  ) {}

  start(): void {
    const { services } = this;
    const subjects = natsSubjects(this.prefix);
    // Stream names may hold dots: everything after the prefix is the name.
    this.listen(`${subjects.put}>`, (msg) =>
      handlePut(services, msg.subject.slice(subjects.put.length), {
        data: msg.data,
        header: (name) => (msg.headers?.has(name) ? msg.headers.get(name) : undefined),
      }),
    );
    this.listen(`${subjects.api}*`, (msg) => handleApi(services, nativeOperations, msg.subject.slice(subjects.api.length), msg.data));
  }

  stop(): void {
    this.subscriptions.splice(0).forEach((s) => s.unsubscribe());
  }

  private listen(subject: string, handle: (msg: Msg) => Promise<unknown>): void {
    const subscription = this.nc.subscribe(subject, {
      queue: NATS_QUEUE,
      callback: (_err, msg) => void this.answer(msg, handle),
    });
    this.subscriptions.push(subscription);
  }

  /** Replies with the result or the problem; a publish without reply subject gets nothing (at most once). */
  private async answer(msg: Msg, handle: (msg: Msg) => Promise<unknown>): Promise<void> {
    let reply: unknown;
    try {
      reply = await handle(msg);
    } catch (err) {
      reply = errorReply(err);
    }
    if (!msg.reply) return;
    try {
      msg.respond(Buffer.from(JSON.stringify(reply)));
    } catch {
      // Connection closing: the requester times out, as with any lost reply.
    }
  }
}
