/**
 * DeleteDeliveryStream
 *   request:  { DeliveryStreamName, AllowForceDelete? }
 *   response: {}  (the delivery stream shows DELETING, then is gone with its stored records)
 */
import { deleteDeliveryStreamTable, type DeleteDeliveryStreamInput } from '../validation/simple-tables';
import { defineFirehoseOperation } from './operation';

export const deleteDeliveryStream = defineFirehoseOperation({
  name: 'DeleteDeliveryStream',
  validation: deleteDeliveryStreamTable,
  async execute(backend, input: DeleteDeliveryStreamInput): Promise<Record<string, never>> {
    await backend.delete(input.DeliveryStreamName, input.AllowForceDelete === true);
    return {};
  },
});
