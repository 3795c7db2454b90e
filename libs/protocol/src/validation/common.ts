/**
 * Member shapes shared by several Kinesis tables (current AWS API reference), and the
 * StreamName-or-StreamARN rule of every stream operation.
 */
import { ShardlineError } from '../errors';
import type { FieldSpec } from './table';

export const NAME_PATTERN = '[a-zA-Z0-9_.-]+';
export const STREAM_ARN_PATTERN = 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+';
export const SEQUENCE_NUMBER_PATTERN = '0|([1-9]\\d{0,128})';
export const HASH_KEY_PATTERN = '0|([1-9]\\d{0,38})';

export const streamName: FieldSpec = { type: 'String', pattern: NAME_PATTERN, minLength: 1, maxLength: 128 };
export const requiredStreamName: FieldSpec = { ...streamName, notNull: true };
export const streamARN: FieldSpec = { type: 'String', pattern: STREAM_ARN_PATTERN, minLength: 1, maxLength: 2048 };
export const requiredStreamARN: FieldSpec = { ...streamARN, notNull: true };
export const shardId: FieldSpec = { type: 'String', pattern: NAME_PATTERN, minLength: 1, maxLength: 128 };
export const requiredShardId: FieldSpec = { ...shardId, notNull: true };
export const sequenceNumber: FieldSpec = { type: 'String', pattern: SEQUENCE_NUMBER_PATTERN };
export const tagKey: FieldSpec = { type: 'String', minLength: 1, maxLength: 128 };
export const tagValue: FieldSpec = { type: 'String', minLength: 0, maxLength: 256 };
/** AWS's TagMap: up to 200 entries per call on the wire (a stream holds at most 50 tags). */
export const tagMap: FieldSpec = { type: 'Map', maxLength: 200, key: tagKey, member: tagValue };
export const nextToken: FieldSpec = { type: 'String', minLength: 1, maxLength: 1048576 };

/** An Integer member limited to [min, max]. */
export function intRange(min: number, max?: number, notNull = false): FieldSpec {
  return { type: 'Integer', min, max, notNull };
}

/** Members naming a stream: by name or by ARN, both optional on the wire. */
export const streamRefFields = { StreamName: streamName, StreamARN: streamARN } as const;

/** Wire input of any operation that names a stream. */
export interface StreamRefInput {
  StreamName?: string;
  StreamARN?: string;
}

/**
 * AWS made StreamName optional when it added StreamARN; a request with neither is
 * refused. AWS documents neither the error type nor the text for this case, so this is a
 * ValidationException (the request is malformed before any stream is looked up) with a
 * plain text; change it here if real AWS is observed to answer otherwise.
 */
export const MISSING_STREAM_REF = 'Either StreamName or StreamARN must be provided.';

/** Table check shared by every stream operation. */
export function requireStreamRef(input: StreamRefInput): void {
  if (input.StreamName === undefined && input.StreamARN === undefined) {
    throw new ShardlineError('ValidationException', MISSING_STREAM_REF);
  }
}

/** A stream or consumer ARN (TagResource & co., the resource-policy operations). */
export const RESOURCE_ARN_PATTERN = 'arn:aws.*:kinesis:.*:\\d{12}:.*stream/\\S+';
export const resourceARN: FieldSpec = {
  type: 'String',
  notNull: true,
  pattern: RESOURCE_ARN_PATTERN,
  minLength: 1,
  maxLength: 2048,
};

/** Wire input of every operation that names a resource by ARN. */
export interface ResourceInput {
  ResourceARN: string;
}
