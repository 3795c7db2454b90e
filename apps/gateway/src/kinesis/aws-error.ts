import { asShardlineError } from '@shardline/protocol';

/** An answer of the AWS JSON protocols. */
export interface AwsJsonAnswer {
  status: number;
  body: string;
}

/**
 * The one place typed errors become AWS's wire errors: `{"__type", "message"}` with the
 * status AWS uses. Unexpected errors are InternalFailure (500) and their text is not leaked.
 */
export function awsErrorAnswer(err: unknown, log: (err: unknown) => void = () => undefined): AwsJsonAnswer {
  const error = asShardlineError(err);
  if (error.type === 'InternalFailure') log(error.cause ?? error);
  return { status: error.statusCode, body: JSON.stringify({ __type: error.type, message: error.message }) };
}
