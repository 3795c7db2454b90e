/**
 * UpdateMaxRecordSize
 *   request:  { StreamARN, MaxRecordSizeInKiB (1024-10240) }
 *   response: {}
 * Raises (or lowers) the largest record PutRecord and PutRecords take for this stream, up
 * to 10 MiB; DescribeStreamSummary shows it.
 */
import { updateMaxRecordSizeTable, type UpdateMaxRecordSizeInput } from '../validation/update-max-record-size';
import { defineOperation } from './operation';

export const updateMaxRecordSize = defineOperation({
  name: 'UpdateMaxRecordSize',
  validation: updateMaxRecordSizeTable,
  async execute(backend, input: UpdateMaxRecordSizeInput): Promise<Record<string, never>> {
    await backend.updateMaxRecordSize({ arn: input.StreamARN }, input.MaxRecordSizeInKiB);
    return {};
  },
});
