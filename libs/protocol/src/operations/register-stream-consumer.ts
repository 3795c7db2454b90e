/**
 * RegisterStreamConsumer
 *   request:  { StreamARN, ConsumerName, Tags?, StreamId? }
 *   response: { Consumer: { ConsumerName, ConsumerARN, ConsumerStatus (CREATING),
 *               ConsumerCreationTimestamp } }
 * At most 20 consumers per stream (LimitExceededException); a name in use is a
 * ResourceInUseException. Tags are stored with the consumer (ListTagsForResource shows them).
 */
import { registerStreamConsumerTable, type RegisterStreamConsumerInput } from '../validation/register-stream-consumer';
import { toWireConsumer, type WireConsumer } from './consumer-wire';
import { defineOperation } from './operation';
import { tagsFromMap } from './wire';

export const registerStreamConsumer = defineOperation({
  name: 'RegisterStreamConsumer',
  validation: registerStreamConsumerTable,
  async execute(backend, input: RegisterStreamConsumerInput): Promise<{ Consumer: WireConsumer }> {
    const tags = input.Tags === undefined ? undefined : tagsFromMap(input.Tags);
    const consumer = await backend.registerConsumer(input.StreamARN, input.ConsumerName, tags);
    return { Consumer: toWireConsumer(consumer) };
  },
});
