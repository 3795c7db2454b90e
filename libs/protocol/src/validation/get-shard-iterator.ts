/**
 * GetShardIterator request members. Which of StartingSequenceNumber and Timestamp must be
 * present depends on ShardIteratorType; AWS answers InvalidArgumentException otherwise.
 */
import type { ShardIteratorType } from '../domain';
import { invalidArgument } from '../errors';
import { requireStreamRef, requiredShardId, sequenceNumber, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

export const SHARD_ITERATOR_TYPES: readonly ShardIteratorType[] = [
  'AT_SEQUENCE_NUMBER',
  'AFTER_SEQUENCE_NUMBER',
  'TRIM_HORIZON',
  'LATEST',
  'AT_TIMESTAMP',
];

/** Validated GetShardIterator input (Timestamp already a Date). */
export interface GetShardIteratorInput extends StreamRefInput {
  ShardId: string;
  ShardIteratorType: ShardIteratorType;
  StartingSequenceNumber?: string;
  Timestamp?: Date;
}

function sequenceNumberRule(type: ShardIteratorType, present: boolean): string {
  return (
    'Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or ' +
    '(2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. ' +
    `Request specified ${type} and ${present ? 'also a' : 'no'} StartingSequenceNumber.`
  );
}

function checkGetShardIterator(input: GetShardIteratorInput): void {
  requireStreamRef(input);
  const type = input.ShardIteratorType;
  const hasSequence = input.StartingSequenceNumber !== undefined;
  const needsSequence = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (needsSequence !== hasSequence) throw invalidArgument(sequenceNumberRule(type, hasSequence));
  if (type === 'AT_TIMESTAMP' && input.Timestamp === undefined) {
    throw invalidArgument(
      'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. ' +
        'Current request has no timestamp parameter.',
    );
  }
}

export const getShardIteratorTable = defineTable<GetShardIteratorInput>(
  {
    ...streamRefFields,
    ShardId: requiredShardId,
    ShardIteratorType: { type: 'String', notNull: true, enum: SHARD_ITERATOR_TYPES },
    StartingSequenceNumber: sequenceNumber,
    Timestamp: { type: 'Timestamp' },
  },
  checkGetShardIterator,
);
