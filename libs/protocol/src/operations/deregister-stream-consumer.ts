/**
 * DeregisterStreamConsumer
 *   request:  { ConsumerARN? | (StreamARN?, ConsumerName?), StreamId? }
 *   response: {} (the consumer goes DELETING, then is gone; its subscriptions end)
 */
import { deregisterStreamConsumerTable, type DeregisterStreamConsumerInput } from '../validation/deregister-stream-consumer';
import { consumerRef } from './consumer-wire';
import { defineOperation } from './operation';

export const deregisterStreamConsumer = defineOperation({
  name: 'DeregisterStreamConsumer',
  validation: deregisterStreamConsumerTable,
  async execute(backend, input: DeregisterStreamConsumerInput): Promise<Record<string, never>> {
    await backend.deregisterConsumer(consumerRef(input));
    return {};
  },
});
