/**
 * PutRecord
 *   request:  { StreamName? | StreamARN?, Data (base64, <= 1 MiB or the stream's MaxRecordSizeInKiB), PartitionKey (1-256),
 *               ExplicitHashKey?, SequenceNumberForOrdering? }
 *   response: { ShardId, SequenceNumber, EncryptionType }
 * SequenceNumberForOrdering is validated and accepted; the backend port has no use for it
 * yet (records of one shard are already ordered by arrival).
 */
import { putRecordTable, type PutRecordInput } from '../validation/put-record';
import { defineOperation } from './operation';
import { checkRecordSizes, throwIfFailed, toEntry } from './records';
import { streamRef } from './wire';

export interface PutRecordOutput {
  ShardId: string;
  SequenceNumber: string;
  EncryptionType: 'NONE' | 'KMS';
}

export const putRecord = defineOperation({
  name: 'PutRecord',
  validation: putRecordTable,
  async execute(backend, input: PutRecordInput): Promise<PutRecordOutput> {
    const ref = streamRef(input);
    await checkRecordSizes(backend, ref, [input], { largest: input.Data.length, total: 0 }, false);
    const outcome = await backend.putRecords(ref, [toEntry(input)]);
    const written = throwIfFailed(outcome.records[0]);
    return { ShardId: written.shardId, SequenceNumber: written.sequenceNumber, EncryptionType: outcome.encryptionType };
  },
});
