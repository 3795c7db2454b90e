/** PutResourcePolicy request members: a stream or consumer ARN and the policy document (JSON text). */
import { resourceARN, type ResourceInput } from './common';
import { defineTable } from './table';

export interface PutResourcePolicyInput extends ResourceInput {
  Policy: string;
}

export const putResourcePolicyTable = defineTable<PutResourcePolicyInput>({
  ResourceARN: resourceARN,
  Policy: { type: 'String', notNull: true },
});
