/**
 * Members shared by the enhanced fan-out operations (current AWS API reference), and the
 * ConsumerARN-or-(StreamARN and ConsumerName) rule of DescribeStreamConsumer and
 * DeregisterStreamConsumer.
 */
import { invalidArgument } from '../errors';
import { NAME_PATTERN, streamARN } from './common';
import type { FieldSpec } from './table';

export const CONSUMER_ARN_PATTERN = '^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+';

export const consumerName: FieldSpec = { type: 'String', pattern: NAME_PATTERN, minLength: 1, maxLength: 128 };
export const consumerARN: FieldSpec = { type: 'String', pattern: CONSUMER_ARN_PATTERN, minLength: 1, maxLength: 2048 };
/** Newer SDKs may send StreamId (an internal stream id some endpoints route by); it is accepted and ignored. */
export const streamId: FieldSpec = { type: 'String', minLength: 1, maxLength: 24 };

/** Wire input naming one consumer (DescribeStreamConsumer, DeregisterStreamConsumer). */
export interface ConsumerRefInput {
  StreamARN?: string;
  ConsumerName?: string;
  ConsumerARN?: string;
  StreamId?: string;
}

export const consumerRefFields = { StreamARN: streamARN, ConsumerName: consumerName, ConsumerARN: consumerARN, StreamId: streamId } as const;

/**
 * A consumer is named by its ARN or by its stream's ARN and its name. AWS's text for a
 * request with neither is not documented; this one says what is missing.
 */
export function requireConsumerRef(input: ConsumerRefInput): void {
  if (input.ConsumerARN === undefined && (input.StreamARN === undefined || input.ConsumerName === undefined)) {
    throw invalidArgument('ConsumerARN or both ConsumerName and StreamARN are required for this request.');
  }
}
