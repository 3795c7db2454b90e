import { EventStreamOutput, ShardlineError, serializationError } from '@shardline/protocol';
import type { KinesisBackend } from '@shardline/protocol';
import { kinesisOperations, runOperation, serializeOutput } from '@shardline/protocol';
import type { OperationContext } from '@shardline/protocol';
import { awsErrorAnswer, type AwsJsonAnswer } from './aws-error';

/** An answer that streams event messages (SubscribeToShard) instead of one JSON body. */
export interface EventStreamAnswer {
  status: 200;
  stream: EventStreamOutput;
}

export type KinesisAnswer = AwsJsonAnswer | EventStreamAnswer;

const TARGET_PREFIX = 'Kinesis_20131202.';
const JSON_TYPES = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);

/**
 * Turns one Kinesis JSON 1.1 request (X-Amz-Target + body) into an answer: checks the
 * content type and target, parses the body, and runs the operation. Never throws.
 */
export class KinesisDispatcher {
  /** Event streams being answered, so a closing gateway can end them instead of waiting minutes. */
  private readonly streams = new Set<EventStreamOutput>();

  constructor(
    private readonly backend: KinesisBackend,
    private readonly context: OperationContext,
    readonly log: (err: unknown) => void = (err) => console.error(err),
  ) {}

  async dispatch(target: string | undefined, contentType: string | undefined, body: Buffer | undefined): Promise<KinesisAnswer> {
    try {
      const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
      if (!JSON_TYPES.has(mediaType)) {
        throw new ShardlineError('UnknownOperationException', `Unsupported Content-Type: ${contentType ?? '(none)'}`);
      }
      const operation = target?.startsWith(TARGET_PREFIX) ? kinesisOperations.get(target.slice(TARGET_PREFIX.length)) : undefined;
      if (!operation) throw new ShardlineError('UnknownOperationException', `Unknown operation: ${target ?? '(none)'}`);
      const result = await runOperation(operation, this.backend, parseBody(body), this.context);
      if (result instanceof EventStreamOutput) return { status: 200, stream: this.track(result) };
      return { status: 200, body: serializeOutput(operation, result) };
    } catch (err) {
      return awsErrorAnswer(err, this.log);
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

function parseBody(body: Buffer | undefined): Record<string, unknown> {
  if (!body || body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw serializationError('Start of structure or map found where not expected: the body is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw serializationError('Start of structure or map expected: the body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
