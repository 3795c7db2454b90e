/**
 * Pagination tokens of ListShards and ListStreams: opaque base64 text that carries what
 * the next page needs (stream, position, filter) and when it was issued. Like AWS's, a
 * token expires 300 s after it was issued (ExpiredNextTokenException). Tokens are not
 * signed: they only reveal and select what the caller may list anyway.
 */
import { invalidArgument, ShardlineError } from '../errors';

/** How long a NextToken stays valid. */
export const NEXT_TOKEN_TTL_MS = 300_000;

const INVALID = 'The NextToken is not valid.';

/** What the token says it continues: the operation and its state. */
interface TokenEnvelope<P> {
  v: 1;
  op: string;
  issuedAt: number;
  state: P;
}

export function encodeNextToken<P>(op: string, state: P, now: Date): string {
  const envelope: TokenEnvelope<P> = { v: 1, op, issuedAt: now.getTime(), state };
  return Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64');
}

function parseEnvelope(token: string): Partial<TokenEnvelope<unknown>> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as Partial<TokenEnvelope<unknown>>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The state a token carries. Throws InvalidArgumentException for a token that is not one
 * of ours for `op`, ExpiredNextTokenException for one older than 300 s. `isState` checks
 * the state's shape, since the text comes from the caller.
 */
export function decodeNextToken<P>(op: string, token: string, now: Date, isState: (state: unknown) => state is P): P {
  const envelope = parseEnvelope(token);
  if (!envelope || envelope.v !== 1 || envelope.op !== op || typeof envelope.issuedAt !== 'number') {
    throw invalidArgument(INVALID);
  }
  if (!isState(envelope.state)) throw invalidArgument(INVALID);
  if (now.getTime() - envelope.issuedAt > NEXT_TOKEN_TTL_MS) {
    throw new ShardlineError('ExpiredNextTokenException', 'The NextToken has expired.');
  }
  return envelope.state;
}
