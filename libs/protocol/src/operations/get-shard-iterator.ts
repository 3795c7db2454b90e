/**
 * GetShardIterator
 *   request:  { StreamName? | StreamARN?, ShardId, ShardIteratorType,
 *               StartingSequenceNumber? (AT_/AFTER_SEQUENCE_NUMBER), Timestamp? (AT_TIMESTAMP) }
 *   response: { ShardIterator }
 */
import type { IteratorRequest } from '../domain';
import { getShardIteratorTable, type GetShardIteratorInput } from '../validation/get-shard-iterator';
import { defineOperation } from './operation';
import { streamRef } from './wire';

export const getShardIterator = defineOperation({
  name: 'GetShardIterator',
  validation: getShardIteratorTable,
  async execute(backend, input: GetShardIteratorInput): Promise<{ ShardIterator: string }> {
    const request: IteratorRequest = { type: input.ShardIteratorType };
    if (input.StartingSequenceNumber !== undefined) request.sequenceNumber = input.StartingSequenceNumber;
    if (input.ShardIteratorType === 'AT_TIMESTAMP') request.timestamp = input.Timestamp;
    const iterator = await backend.getShardIterator(streamRef(input), input.ShardId, request);
    return { ShardIterator: iterator };
  },
});
