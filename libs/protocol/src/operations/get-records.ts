/**
 * GetRecords
 *   request:  { ShardIterator (1-512), Limit? (1-10000, default 10000), StreamARN? }
 *   response: { Records: [{ SequenceNumber, ApproximateArrivalTimestamp, Data, PartitionKey }],
 *               NextShardIterator?, MillisBehindLatest, ChildShards? }
 * NextShardIterator is absent once a closed shard has been read to its end; ChildShards then
 * names the shards to continue with.
 */
import type { StoredRecord } from '../domain';
import { getRecordsTable, MAX_GET_RECORDS_LIMIT, type GetRecordsInput } from '../validation/get-records';
import { defineOperation } from './operation';
import { epochSeconds, toWireChildShard, type WireChildShard } from './wire';

/** One record as GetRecords answers it (Data in base64). */
export interface WireRecord {
  SequenceNumber: string;
  ApproximateArrivalTimestamp: number;
  Data: string;
  PartitionKey: string;
}

export interface GetRecordsOutput {
  Records: WireRecord[];
  NextShardIterator?: string;
  MillisBehindLatest: number;
  ChildShards?: WireChildShard[];
}

function toWireRecord(record: StoredRecord): WireRecord {
  return {
    SequenceNumber: record.sequenceNumber,
    ApproximateArrivalTimestamp: epochSeconds(record.arrivalTimestamp),
    Data: record.data.toString('base64'),
    PartitionKey: record.partitionKey,
  };
}

export const getRecords = defineOperation({
  name: 'GetRecords',
  validation: getRecordsTable,
  async execute(backend, input: GetRecordsInput): Promise<GetRecordsOutput> {
    const result = await backend.getRecords(input.ShardIterator, input.Limit ?? MAX_GET_RECORDS_LIMIT);
    const output: GetRecordsOutput = {
      Records: result.records.map(toWireRecord),
      MillisBehindLatest: result.millisBehindLatest,
    };
    if (result.nextShardIterator !== null) output.NextShardIterator = result.nextShardIterator;
    if (result.childShards !== undefined) output.ChildShards = result.childShards.map(toWireChildShard);
    return output;
  },
});
