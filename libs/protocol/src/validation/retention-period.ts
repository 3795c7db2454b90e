/**
 * Increase/DecreaseStreamRetentionPeriod request members (one shape for both). The table
 * checks only the range; rules that need the current retention belong to the backend.
 */
import { intRange, requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

/** One year: the longest retention Kinesis allows. */
export const MAX_RETENTION_HOURS = 8760;
/** Shortest retention Kinesis allows (a smaller value is an InvalidArgumentException). */
export const MIN_RETENTION_HOURS = 24;

/** Validated retention input (wire shape). */
export interface RetentionPeriodInput extends StreamRefInput {
  RetentionPeriodHours: number;
}

export const retentionPeriodTable = defineTable<RetentionPeriodInput>(
  { ...streamRefFields, RetentionPeriodHours: intRange(1, MAX_RETENTION_HOURS, true) },
  requireStreamRef,
);
