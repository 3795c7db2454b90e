import { expectShardlineError } from '../../../test/support/errors';
import { ITERATOR_TTL_MS, ShardIteratorCodec } from './shard-iterator';

const ISSUED = Date.UTC(2024, 0, 1);
const state = { streamId: '0f8e2a1c9b7d4e6fa1b2c3d4e5f60718', shardIndex: 3, position: { seq: 1234, index: 56 } };

/** A codec whose clock the test moves by hand. */
function codecAt(secret = 'secret-1') {
  const clock = { now: ISSUED };
  return { clock, codec: new ShardIteratorCodec(secret, () => clock.now) };
}

/** Replaces the character at `at` with another one from the base64url alphabet. */
function changeCharAt(text: string, at: number): string {
  const replacement = text[at] === 'A' ? 'B' : 'A';
  return text.slice(0, at) + replacement + text.slice(at + 1);
}

describe('ShardIteratorCodec', () => {
  it('decodes what it encoded, with the issue time of its clock', () => {
    const { codec } = codecAt();
    expect(codec.decode(codec.encode(state))).toEqual({ ...state, issuedAt: ISSUED });
  });

  it('round-trips the oldest-record position and large numbers', () => {
    const { codec } = codecAt();
    const edge = { streamId: 'abc', shardIndex: 999_999_999_999, position: { seq: Number.MAX_SAFE_INTEGER, index: 9_999_999 } };
    expect(codec.decode(codec.encode(edge))).toEqual({ ...edge, issuedAt: ISSUED });
    const oldest = { ...state, position: { seq: 0, index: 0 } };
    expect(codec.decode(codec.encode(oldest)).position).toEqual({ seq: 0, index: 0 });
  });

  it('is one opaque token of URL-safe characters', () => {
    const { codec } = codecAt();
    expect(codec.encode(state)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  });

  it.each([0, 5, 20])('rejects an iterator whose payload has one character changed (at %i)', (at) => {
    const { codec } = codecAt();
    expectShardlineError(() => codec.decode(changeCharAt(codec.encode(state), at)), 'InvalidArgumentException');
  });

  it.each([1, 20, 42])('rejects an iterator whose signature has one character changed (%i from the end)', (fromEnd) => {
    const { codec } = codecAt();
    const iterator = codec.encode(state);
    expectShardlineError(() => codec.decode(changeCharAt(iterator, iterator.length - fromEnd)), 'InvalidArgumentException');
  });

  it('rejects a forged position re-encoded without the secret', () => {
    const { codec } = codecAt();
    const [, signature] = codec.encode(state).split('.');
    const forged = Buffer.from(`${state.streamId}:3:1:0:${ISSUED}`).toString('base64url') + '.' + signature;
    expectShardlineError(() => codec.decode(forged), 'InvalidArgumentException');
  });

  it('rejects an iterator signed with another secret', () => {
    const iterator = codecAt('secret-1').codec.encode(state);
    expectShardlineError(() => codecAt('secret-2').codec.decode(iterator), 'InvalidArgumentException');
  });

  it.each(['', 'no-dot-at-all', '.', 'abc.', '.abc', 'a.b.c'])('rejects the malformed iterator %j', (iterator) => {
    expectShardlineError(() => codecAt().codec.decode(iterator), 'InvalidArgumentException');
  });

  it('accepts an iterator until five minutes have passed', () => {
    const { clock, codec } = codecAt();
    const iterator = codec.encode(state);
    clock.now = ISSUED + 299_999;
    expect(codec.decode(iterator).position).toEqual(state.position);
    clock.now = ISSUED + ITERATOR_TTL_MS;
    expect(codec.decode(iterator).position).toEqual(state.position);
  });

  it('answers ExpiredIteratorException after five minutes', () => {
    const { clock, codec } = codecAt();
    const iterator = codec.encode(state);
    clock.now = ISSUED + 300_001;
    const err = expectShardlineError(() => codec.decode(iterator), 'ExpiredIteratorException');
    expect(err.message).toContain('Iterator expired');
    expect(err.statusCode).toBe(400);
  });

  it('checks the signature before the expiry, so a forged old iterator is invalid, not expired', () => {
    const { clock, codec } = codecAt();
    const iterator = codec.encode(state);
    clock.now = ISSUED + 10 * ITERATOR_TTL_MS;
    expectShardlineError(() => codec.decode(changeCharAt(iterator, 3)), 'InvalidArgumentException');
  });

  it('honours an explicit issue time', () => {
    const { codec } = codecAt();
    expectShardlineError(() => codec.decode(codec.encode(state, ISSUED - 300_001)), 'ExpiredIteratorException');
  });
});
