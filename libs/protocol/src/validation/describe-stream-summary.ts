/** DescribeStreamSummary request members. */
import { requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

/** Validated DescribeStreamSummary input (wire shape). */
export type DescribeStreamSummaryInput = StreamRefInput;

export const describeStreamSummaryTable = defineTable<DescribeStreamSummaryInput>(
  { ...streamRefFields },
  requireStreamRef,
);
