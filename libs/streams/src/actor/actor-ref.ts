import type { Context } from '@opentelemetry/api';

/**
 * A reference to a shard actor, wherever it lives: in this process (a mailbox) or in
 * another one (a NATS request on the actor's subject). Callers cannot tell which.
 */
export interface ActorRef {
  /**
   * Appends record-batch messages in order; answers each message's JetStream sequence.
   * `trace` is the caller's span context, carried to the actor explicitly.
   */
  append(messages: Buffer[], trace?: Context): Promise<number[]>;
}
