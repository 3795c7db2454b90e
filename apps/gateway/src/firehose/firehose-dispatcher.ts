import { FIREHOSE_TARGET_PREFIX, ShardlineError, firehoseOperations, runFirehoseOperation } from '@shardline/protocol';
import type { FirehoseBackend, OperationContext, RequestAuthenticator, SignedHttpRequest } from '@shardline/protocol';
import { awsErrorAnswer, type AwsJsonAnswer } from '../kinesis/aws-error';
import { codecFor, jsonCodec } from '../kinesis/wire-codec';
import { logInternalFailure } from '../log';

const UNSIGNED: Omit<SignedHttpRequest, 'body'> = { method: 'POST', url: '/', headers: {} };

/** True when the request is for Firehose (`X-Amz-Target: Firehose_20150804.*`). */
export function isFirehoseTarget(target: string | undefined): boolean {
  return target !== undefined && target.startsWith(FIREHOSE_TARGET_PREFIX);
}

/**
 * Turns one Firehose request (AWS JSON 1.1) into an answer: checks the target, verifies the
 * signature when credentials are configured, parses the body and runs the operation from
 * the protocol's one list. Errors become `{__type, message}` with AWS's status here, once.
 * Never throws.
 */
export class FirehoseDispatcher {
  constructor(
    private readonly backend: FirehoseBackend,
    private readonly context: OperationContext,
    private readonly log: (err: unknown) => void = logInternalFailure,
    private readonly authenticator?: RequestAuthenticator,
  ) {}

  async dispatch(
    target: string | undefined,
    contentType: string | undefined,
    body: Buffer | undefined,
    request: Omit<SignedHttpRequest, 'body'> = UNSIGNED,
  ): Promise<AwsJsonAnswer> {
    try {
      // Firehose speaks JSON only (the CBOR codec is the Kinesis Java SDKs').
      if (codecFor(contentType) !== jsonCodec) {
        throw new ShardlineError('UnknownOperationException', `Unsupported Content-Type: ${contentType ?? '(none)'}`);
      }
      const operation = isFirehoseTarget(target) ? firehoseOperations.get(target!.slice(FIREHOSE_TARGET_PREFIX.length)) : undefined;
      if (!operation) throw new ShardlineError('UnknownOperationException', `Unknown operation: ${target ?? '(none)'}`);
      if (this.authenticator) await this.authenticator.verify({ ...request, body });
      const result = await runFirehoseOperation(operation, this.backend, jsonCodec.parse(body), this.context);
      return { status: 200, body: JSON.stringify(result), contentType: jsonCodec.contentType };
    } catch (err) {
      return awsErrorAnswer(err, this.log, jsonCodec);
    }
  }
}
