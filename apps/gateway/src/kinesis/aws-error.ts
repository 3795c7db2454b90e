import { asShardlineError } from '@shardline/protocol';
import { jsonCodec, type WireCodec } from './wire-codec';

/** An answer of the AWS JSON (or CBOR) protocol. */
export interface AwsJsonAnswer {
  status: number;
  body: string | Uint8Array;
  /** Content-Type of the body; application/x-amz-json-1.1 when absent. */
  contentType?: string;
}

/**
 * The one place typed errors become AWS's wire errors: `{"__type", "message"}` (in the
 * request's wire format) with the status AWS uses. Unexpected errors are InternalFailure
 * (500) and their text is not leaked.
 */
export function awsErrorAnswer(
  err: unknown,
  log: (err: unknown) => void = () => undefined,
  codec: WireCodec = jsonCodec,
): AwsJsonAnswer {
  const error = asShardlineError(err);
  if (error.type === 'InternalFailure') log(error.cause ?? error);
  return { status: error.statusCode, body: codec.error(error.type, error.message), contentType: codec.contentType };
}
