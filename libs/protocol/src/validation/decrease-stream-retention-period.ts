/** DecreaseStreamRetentionPeriod request members (shape shared with Increase). */
import { retentionPeriodTable, type RetentionPeriodInput } from './retention-period';
import type { ValidationTable } from './table';

/** Validated DecreaseStreamRetentionPeriod input (wire shape). */
export type DecreaseStreamRetentionPeriodInput = RetentionPeriodInput;

export const decreaseStreamRetentionPeriodTable: ValidationTable<DecreaseStreamRetentionPeriodInput> =
  retentionPeriodTable;
