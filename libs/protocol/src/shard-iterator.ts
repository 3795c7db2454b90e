import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import { expiredIterator, invalidArgument } from './errors';
import type { RecordPosition } from './sequence-number';

/** Shard iterators expire after five minutes, as Kinesis's do. */
export const ITERATOR_TTL_MS = 5 * 60 * 1000;

/**
 * What a shard iterator carries. Iterators are stateless: any gateway can serve any
 * iterator, and a restart invalidates none. `position.seq` 0 means "the oldest record".
 */
export interface ShardIteratorState {
  streamId: string;
  shardIndex: number;
  position: RecordPosition;
  issuedAt: number;
}

/** Signs and verifies shard iterators with an HMAC, so clients cannot forge positions. */
export class ShardIteratorCodec {
  private readonly key: KeyObject;

  constructor(
    secret: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createSecretKey(Buffer.from(secret));
  }

  encode(state: Omit<ShardIteratorState, 'issuedAt'>, issuedAt = this.now()): string {
    const body = [state.streamId, state.shardIndex, state.position.seq, state.position.index, issuedAt].join(':');
    const payload = Buffer.from(body).toString('base64url');
    return payload + '.' + this.sign(payload);
  }

  /** Throws InvalidArgumentException for a forged or malformed iterator, ExpiredIteratorException after 5 minutes. */
  decode(iterator: string): ShardIteratorState {
    const dot = iterator.indexOf('.');
    const payload = iterator.slice(0, dot);
    const signature = Buffer.from(iterator.slice(dot + 1));
    const expected = Buffer.from(this.sign(payload));
    if (dot < 0 || signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw invalidArgument('Invalid ShardIterator.');
    }
    const [streamId, shardIndex, seq, index, issuedAt] = Buffer.from(payload, 'base64url').toString().split(':');
    const state = {
      streamId,
      shardIndex: Number(shardIndex),
      position: { seq: Number(seq), index: Number(index) },
      issuedAt: Number(issuedAt),
    };
    const now = this.now();
    if (now - state.issuedAt > ITERATOR_TTL_MS) {
      throw expiredIterator(
        `Iterator expired. The iterator was created at time ${new Date(state.issuedAt).toUTCString()} ` +
          `while right now it is ${new Date(now).toUTCString()} which is further in the future than the ` +
          `tolerated delay of ${ITERATOR_TTL_MS} milliseconds.`,
      );
    }
    return state;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url').slice(0, 43);
  }
}
