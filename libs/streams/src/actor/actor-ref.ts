import type { Context } from '@opentelemetry/api';

/**
 * A reference to a shard actor, wherever it lives: in this process (a mailbox) or in
 * another one (a NATS request on the actor's subject). Callers cannot tell which.
 */
export interface ActorRef {
  /**
   * Appends record-batch messages in order; answers each written message's JetStream
   * sequence. `trace` is the caller's span context, carried to the actor explicitly.
   */
  append(messages: Buffer[], trace?: Context): Promise<AppendResult>;
  /**
   * Closes the shard to appends for a reshard: refuses new ones (retriable), writes those
   * already queued, and answers the JetStream sequence of the last message stored.
   */
  seal(): Promise<number>;
  /** Takes appends again after a reshard that failed. */
  unseal(): Promise<void>;
}

/**
 * What an append wrote. `admitted` is set only when the shard's write limit refused
 * records: then the first `admitted` records of the append were written (their messages
 * numbered by `seqs`, the last possibly cut short) and the rest were not.
 */
export interface AppendResult {
  seqs: number[];
  admitted?: number;
}

/** Header of a request on an actor's subject that is a control call (seal, unseal), not an append. */
export const ACTOR_CONTROL_HEADER = 'Shardline-Actor-Control';
