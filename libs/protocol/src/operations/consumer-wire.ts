/** Wire shapes of enhanced fan-out consumers, and the mappers from the domain. */
import type { Consumer, ConsumerRef, ConsumerStatus } from '../domain';
import type { ConsumerRefInput } from '../validation/consumers';
import { epochSeconds } from './wire';

/** A consumer as ListStreamConsumers and RegisterStreamConsumer answer it. */
export interface WireConsumer {
  ConsumerName: string;
  ConsumerARN: string;
  ConsumerStatus: ConsumerStatus;
  ConsumerCreationTimestamp: number;
}

/** DescribeStreamConsumer's ConsumerDescription: the consumer and its stream. */
export interface WireConsumerDescription extends WireConsumer {
  StreamARN: string;
}

export function toWireConsumer(consumer: Consumer): WireConsumer {
  return {
    ConsumerName: consumer.name,
    ConsumerARN: consumer.arn,
    ConsumerStatus: consumer.status,
    ConsumerCreationTimestamp: epochSeconds(consumer.createdAt),
  };
}

/** The domain's reference from DescribeStreamConsumer / DeregisterStreamConsumer input. */
export function consumerRef(input: ConsumerRefInput): ConsumerRef {
  const ref: ConsumerRef = {};
  if (input.ConsumerARN !== undefined) ref.arn = input.ConsumerARN;
  if (input.StreamARN !== undefined) ref.streamArn = input.StreamARN;
  if (input.ConsumerName !== undefined) ref.name = input.ConsumerName;
  return ref;
}
