/**
 * DescribeDeliveryStream
 *   request:  { DeliveryStreamName, Limit? (1-10000), ExclusiveStartDestinationId? }
 *   response: { DeliveryStreamDescription } (see description.ts)
 * A delivery stream has one destination; starting after it lists none.
 */
import { describeDeliveryStreamTable, type DescribeDeliveryStreamInput } from '../validation/simple-tables';
import { DESTINATION_ID, describeOutput } from './description';
import { defineFirehoseOperation } from './operation';

export const describeDeliveryStream = defineFirehoseOperation({
  name: 'DescribeDeliveryStream',
  validation: describeDeliveryStreamTable,
  async execute(backend, input: DescribeDeliveryStreamInput): Promise<{ DeliveryStreamDescription: Record<string, unknown> }> {
    const description = describeOutput(await backend.describe(input.DeliveryStreamName));
    if (input.ExclusiveStartDestinationId !== undefined && input.ExclusiveStartDestinationId >= DESTINATION_ID) {
      description.Destinations = [];
    }
    return { DeliveryStreamDescription: description };
  },
});
