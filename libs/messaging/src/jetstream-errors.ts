import { NatsError } from 'nats';
import { ShardlineError, unavailable } from '@shardline/protocol';

/** JetStream's error codes (err_code) that the shard store acts on. */
export const JS_STREAM_NOT_FOUND = 10059;
export const JS_WRONG_LAST_SEQUENCE = 10071;

/** A JetStream API error answered to a request the adapter sent itself (publish acks). */
export class JetStreamApiError extends Error {
  constructor(
    readonly errCode: number,
    description: string,
  ) {
    super(description);
    this.name = 'JetStreamApiError';
  }
}

/** The JetStream API error code of a failure, if it is one. */
export function jetStreamErrorCode(err: unknown): number | undefined {
  if (err instanceof JetStreamApiError) return err.errCode;
  return err instanceof NatsError ? err.api_error?.err_code : undefined;
}

/**
 * Maps NATS failures to the domain's errors, once, at this adapter's boundary. No responder
 * (nobody owns the shard right now) is ServiceUnavailable: nothing was written, so a retry
 * is safe. A timeout or lost connection is a retriable InternalFailure: the write may or may
 * not have happened.
 */
export function mapNatsError(err: unknown, what: string): ShardlineError {
  if (err instanceof ShardlineError) return err;
  if (err instanceof NatsError && err.code === '503') {
    return unavailable(`${what}: no responder`, err);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ShardlineError('InternalFailure', `${what}: ${message}`, { cause: err, retriable: true });
}
