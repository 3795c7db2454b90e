/**
 * DescribeStreamConsumer
 *   request:  { ConsumerARN? | (StreamARN?, ConsumerName?), StreamId? }
 *   response: { ConsumerDescription: { ConsumerName, ConsumerARN, ConsumerStatus,
 *               ConsumerCreationTimestamp, StreamARN } }
 */
import { describeStreamConsumerTable, type DescribeStreamConsumerInput } from '../validation/describe-stream-consumer';
import { consumerRef, toWireConsumer, type WireConsumerDescription } from './consumer-wire';
import { defineOperation } from './operation';

export const describeStreamConsumer = defineOperation({
  name: 'DescribeStreamConsumer',
  validation: describeStreamConsumerTable,
  async execute(backend, input: DescribeStreamConsumerInput): Promise<{ ConsumerDescription: WireConsumerDescription }> {
    const consumer = await backend.describeConsumer(consumerRef(input));
    return { ConsumerDescription: { ...toWireConsumer(consumer), StreamARN: consumer.streamArn } };
  },
});
