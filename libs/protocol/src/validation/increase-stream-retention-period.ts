/** IncreaseStreamRetentionPeriod request members (shape shared with Decrease). */
import { retentionPeriodTable, type RetentionPeriodInput } from './retention-period';
import type { ValidationTable } from './table';

/** Validated IncreaseStreamRetentionPeriod input (wire shape). */
export type IncreaseStreamRetentionPeriodInput = RetentionPeriodInput;

export const increaseStreamRetentionPeriodTable: ValidationTable<IncreaseStreamRetentionPeriodInput> =
  retentionPeriodTable;
