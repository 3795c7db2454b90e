/** UpdateShardCount request members (AWS API reference: TargetShardCount >= 1, ScalingType UNIFORM_SCALING). */
import { intRange, requireStreamRef, streamRefFields, type StreamRefInput } from './common';
import { defineTable } from './table';

export const SCALING_TYPES = ['UNIFORM_SCALING'] as const;

/** Validated UpdateShardCount input (wire shape). */
export interface UpdateShardCountInput extends StreamRefInput {
  TargetShardCount: number;
  ScalingType: 'UNIFORM_SCALING';
}

export const updateShardCountTable = defineTable<UpdateShardCountInput>(
  {
    ...streamRefFields,
    TargetShardCount: intRange(1, undefined, true),
    ScalingType: { type: 'String', notNull: true, enum: SCALING_TYPES },
  },
  requireStreamRef,
);
