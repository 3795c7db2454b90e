import { ShardlineError, serializationError } from '@shardline/protocol';
import type { KinesisBackend } from '@shardline/protocol';
import { kinesisOperations, runOperation, serializeOutput } from '@shardline/protocol';
import type { OperationContext } from '@shardline/protocol';
import { awsErrorAnswer, type AwsJsonAnswer } from './aws-error';

const TARGET_PREFIX = 'Kinesis_20131202.';
const JSON_TYPES = new Set(['application/x-amz-json-1.1', 'application/x-amz-json-1.0', 'application/json']);

/**
 * Turns one Kinesis JSON 1.1 request (X-Amz-Target + body) into an answer: checks the
 * content type and target, parses the body, and runs the operation. Never throws.
 */
export class KinesisDispatcher {
  constructor(
    private readonly backend: KinesisBackend,
    private readonly context: OperationContext,
    private readonly log: (err: unknown) => void = (err) => console.error(err),
  ) {}

  async dispatch(target: string | undefined, contentType: string | undefined, body: Buffer | undefined): Promise<AwsJsonAnswer> {
    try {
      const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
      if (!JSON_TYPES.has(mediaType)) {
        throw new ShardlineError('UnknownOperationException', `Unsupported Content-Type: ${contentType ?? '(none)'}`);
      }
      const operation = target?.startsWith(TARGET_PREFIX) ? kinesisOperations.get(target.slice(TARGET_PREFIX.length)) : undefined;
      if (!operation) throw new ShardlineError('UnknownOperationException', `Unknown operation: ${target ?? '(none)'}`);
      const result = await runOperation(operation, this.backend, parseBody(body), this.context);
      return { status: 200, body: serializeOutput(operation, result) };
    } catch (err) {
      return awsErrorAnswer(err, this.log);
    }
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
