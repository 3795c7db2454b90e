/** DescribeLimits request members: none (any members sent are ignored, as AWS ignores unknown ones). */
import { defineTable } from './table';

/** Validated DescribeLimits input (wire shape). */
export type DescribeLimitsInput = Record<string, never>;

export const describeLimitsTable = defineTable<DescribeLimitsInput>({});
