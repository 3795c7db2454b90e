/**
 * DeleteStream
 *   request:  { StreamName? | StreamARN?, EnforceConsumerDeletion? }
 *   response: {} (the stream goes DELETING)
 */
import { deleteStreamTable, type DeleteStreamInput } from '../validation/delete-stream';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export const deleteStream = defineOperation({
  name: 'DeleteStream',
  validation: deleteStreamTable,
  async execute(backend, input: DeleteStreamInput): Promise<Record<string, never>> {
    await backend.deleteStream(streamRef(input), input.EnforceConsumerDeletion === true);
    return {};
  },
});
