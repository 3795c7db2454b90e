/**
 * ListShards request members. A request names its stream (StreamName or StreamARN) or
 * continues a listing (NextToken), never both; AWS answers InvalidArgumentException.
 */
import { invalidArgument } from '../errors';
import { intRange, nextToken, shardId, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

export type ShardFilterType =
  | 'AFTER_SHARD_ID'
  | 'AT_TRIM_HORIZON'
  | 'FROM_TRIM_HORIZON'
  | 'AT_LATEST'
  | 'AT_TIMESTAMP'
  | 'FROM_TIMESTAMP';

export const SHARD_FILTER_TYPES: readonly ShardFilterType[] = [
  'AFTER_SHARD_ID',
  'AT_TRIM_HORIZON',
  'FROM_TRIM_HORIZON',
  'AT_LATEST',
  'AT_TIMESTAMP',
  'FROM_TIMESTAMP',
];

/** ShardFilter as validated (Timestamp already a Date). */
export interface ShardFilterInput {
  Type: ShardFilterType;
  ShardId?: string;
  Timestamp?: Date;
}

/** Validated ListShards input (wire shape). */
export interface ListShardsInput extends StreamRefInput {
  NextToken?: string;
  ExclusiveStartShardId?: string;
  MaxResults?: number;
  StreamCreationTimestamp?: Date;
  ShardFilter?: ShardFilterInput;
}

function checkListShards(input: ListShardsInput): void {
  const named = input.StreamName !== undefined || input.StreamARN !== undefined;
  if (input.NextToken === undefined) {
    if (!named) throw invalidArgument('Either NextToken or StreamName should be provided.');
  } else if (named) {
    throw invalidArgument('NextToken and StreamName cannot be provided together.');
  } else if (input.ExclusiveStartShardId !== undefined) {
    throw invalidArgument('NextToken and ExclusiveStartShardId cannot be provided together.');
  } else if (input.StreamCreationTimestamp !== undefined) {
    throw invalidArgument('NextToken and StreamCreationTimestamp cannot be provided together.');
  }
  const filter = input.ShardFilter;
  if (filter?.Type === 'AFTER_SHARD_ID' && filter.ShardId === undefined) {
    throw invalidArgument('ShardId must be provided in a ShardFilter of type AFTER_SHARD_ID.');
  }
  if ((filter?.Type === 'AT_TIMESTAMP' || filter?.Type === 'FROM_TIMESTAMP') && filter.Timestamp === undefined) {
    throw invalidArgument(`Timestamp must be provided in a ShardFilter of type ${filter.Type}.`);
  }
}

export const listShardsTable = defineTable<ListShardsInput>(
  {
    ...streamRefFields,
    NextToken: nextToken,
    ExclusiveStartShardId: shardId,
    MaxResults: intRange(1, 10000),
    StreamCreationTimestamp: { type: 'Timestamp' },
    ShardFilter: {
      type: 'Structure',
      fields: {
        Type: { type: 'String', notNull: true, enum: SHARD_FILTER_TYPES },
        ShardId: shardId,
        Timestamp: { type: 'Timestamp' },
      },
    },
  },
  checkListShards,
);
