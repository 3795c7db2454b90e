import { EventStreamOutput, ShardlineError } from '@shardline/protocol';
import type { KinesisBackend, RequestAuthenticator, SignedHttpRequest } from '@shardline/protocol';
import { kinesisOperations, runOperation } from '@shardline/protocol';
import type { OperationContext } from '@shardline/protocol';
import { awsErrorAnswer, type AwsJsonAnswer } from './aws-error';
import { codecFor, jsonCodec } from './wire-codec';
import { logInternalFailure } from '../log';

/** An answer that streams event messages (SubscribeToShard) instead of one body. */
export interface EventStreamAnswer {
  status: 200;
  stream: EventStreamOutput;
}

export type KinesisAnswer = AwsJsonAnswer | EventStreamAnswer;

const TARGET_PREFIX = 'Kinesis_20131202.';

/** What an unsigned call presents: no headers at all (callers without a request, e.g. benches). */
const UNSIGNED: Omit<SignedHttpRequest, 'body'> = { method: 'POST', url: '/', headers: {} };

/**
 * Turns one Kinesis request (X-Amz-Target + body, in JSON or CBOR) into an answer: picks
 * the wire codec from the content type, checks the target, verifies the signature when
 * credentials are configured, parses the body, and runs the operation. Never throws.
 */
export class KinesisDispatcher {
  /** Event streams being answered, so a closing gateway can end them instead of waiting minutes. */
  private readonly streams = new Set<EventStreamOutput>();

  constructor(
    private readonly backend: KinesisBackend,
    private readonly context: OperationContext,
    readonly log: (err: unknown) => void = logInternalFailure,
    private readonly authenticator?: RequestAuthenticator,
  ) {}

  async dispatch(
    target: string | undefined,
    contentType: string | undefined,
    body: Buffer | undefined,
    request: Omit<SignedHttpRequest, 'body'> = UNSIGNED,
  ): Promise<KinesisAnswer> {
    const codec = codecFor(contentType);
    try {
      if (!codec) throw new ShardlineError('UnknownOperationException', `Unsupported Content-Type: ${contentType ?? '(none)'}`);
      const operation = target?.startsWith(TARGET_PREFIX) ? kinesisOperations.get(target.slice(TARGET_PREFIX.length)) : undefined;
      if (!operation) throw new ShardlineError('UnknownOperationException', `Unknown operation: ${target ?? '(none)'}`);
      // Verified before the body is parsed: hashing it is cheaper than parsing it for a stranger.
      if (this.authenticator) await this.authenticator.verify({ ...request, body });
      const result = await runOperation(operation, this.backend, codec.parse(body), this.context, codec.format);
      if (result instanceof EventStreamOutput) return { status: 200, stream: this.track(result) };
      return { status: 200, body: codec.output(operation, result), contentType: codec.contentType };
    } catch (err) {
      return awsErrorAnswer(err, this.log, codec ?? jsonCodec);
    }
  }

  /** The lane has finished writing this stream (it ended, or its client left). */
  finished(stream: EventStreamOutput): void {
    this.streams.delete(stream);
  }

  /** Ends every event stream still being answered (on shutdown). */
  closeStreams(): void {
    for (const stream of this.streams) stream.close();
  }

  private track(stream: EventStreamOutput): EventStreamOutput {
    this.streams.add(stream);
    return stream;
  }
}
