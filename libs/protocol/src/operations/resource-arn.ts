/**
 * Resource ARNs of TagResource & co.: a consumer ARN is its stream's ARN followed by
 * `/consumer/<name>:<creation epoch seconds>`; anything else that passed the table's
 * pattern names a stream.
 */
import type { ResourceRef } from '../domain';

const CONSUMER_ARN = /^(arn:aws.*:kinesis:.*:\d{12}:.*stream\/[a-zA-Z0-9_.-]+)\/consumer\/([a-zA-Z0-9_.-]+):[0-9]+$/;

export function parseResourceArn(arn: string): ResourceRef {
  const consumer = CONSUMER_ARN.exec(arn);
  if (consumer) return { kind: 'consumer', arn, streamArn: consumer[1], consumerName: consumer[2] };
  return { kind: 'stream', arn };
}
