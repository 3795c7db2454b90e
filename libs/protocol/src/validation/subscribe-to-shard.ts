/**
 * SubscribeToShard request members. Like GetShardIterator, the StartingPosition's Type
 * decides whether SequenceNumber or Timestamp must be present (InvalidArgumentException).
 */
import type { ShardIteratorType } from '../domain';
import { invalidArgument } from '../errors';
import { requiredShardId, sequenceNumber } from './common';
import { consumerARN, streamId } from './consumers';
import { SHARD_ITERATOR_TYPES } from './get-shard-iterator';
import { defineTable } from './table';

/** StartingPosition as validated (Timestamp already a Date). */
export interface StartingPositionInput {
  Type: ShardIteratorType;
  SequenceNumber?: string;
  Timestamp?: Date;
}

/** Validated SubscribeToShard input (wire shape). */
export interface SubscribeToShardInput {
  ConsumerARN: string;
  ShardId: string;
  StartingPosition: StartingPositionInput;
  StreamId?: string;
}

function checkStartingPosition(input: SubscribeToShardInput): void {
  const { Type: type, SequenceNumber, Timestamp } = input.StartingPosition;
  const needsSequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (needsSequence && SequenceNumber === undefined) {
    throw invalidArgument(`StartingPosition of type ${type} requires a SequenceNumber.`);
  }
  if (!needsSequence && SequenceNumber !== undefined) {
    throw invalidArgument(`StartingPosition of type ${type} does not take a SequenceNumber.`);
  }
  if (type === 'AT_TIMESTAMP' && Timestamp === undefined) {
    throw invalidArgument('StartingPosition of type AT_TIMESTAMP requires a Timestamp.');
  }
}

export const subscribeToShardTable = defineTable<SubscribeToShardInput>(
  {
    ConsumerARN: { ...consumerARN, notNull: true },
    ShardId: requiredShardId,
    StartingPosition: {
      type: 'Structure',
      notNull: true,
      fields: {
        Type: { type: 'String', notNull: true, enum: SHARD_ITERATOR_TYPES },
        SequenceNumber: sequenceNumber,
        Timestamp: { type: 'Timestamp' },
      },
    },
    StreamId: streamId,
  },
  checkStartingPosition,
);
