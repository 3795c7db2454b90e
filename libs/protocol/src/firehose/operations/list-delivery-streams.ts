/**
 * ListDeliveryStreams
 *   request:  { Limit? (1-10000, default 10), DeliveryStreamType?, ExclusiveStartDeliveryStreamName? }
 *   response: { DeliveryStreamNames, HasMoreDeliveryStreams }
 * Names in lexical order; without a type every type is listed.
 */
import { listDeliveryStreamsTable, type ListDeliveryStreamsInput } from '../validation/simple-tables';
import { invalidArgument } from '../../errors';
import { defineFirehoseOperation } from './operation';

export const LIST_DEFAULT_LIMIT = 10;

export const listDeliveryStreams = defineFirehoseOperation({
  name: 'ListDeliveryStreams',
  validation: listDeliveryStreamsTable,
  async execute(backend, input: ListDeliveryStreamsInput): Promise<{ DeliveryStreamNames: string[]; HasMoreDeliveryStreams: boolean }> {
    const type = input.DeliveryStreamType;
    if (type !== undefined && type !== 'DirectPut' && type !== 'KinesisStreamAsSource') {
      // Shardline holds no such delivery streams.
      if (type === 'MSKAsSource' || type === 'DatabaseAsSource') return { DeliveryStreamNames: [], HasMoreDeliveryStreams: false };
      throw invalidArgument(`Unknown DeliveryStreamType ${String(type)}.`);
    }
    const page = await backend.list({
      limit: input.Limit ?? LIST_DEFAULT_LIMIT,
      ...(type ? { type } : {}),
      ...(input.ExclusiveStartDeliveryStreamName ? { exclusiveStartName: input.ExclusiveStartDeliveryStreamName } : {}),
    });
    return { DeliveryStreamNames: page.names, HasMoreDeliveryStreams: page.hasMore };
  },
});
