/**
 * GetResourcePolicy
 *   request:  { ResourceARN (stream or consumer) }
 *   response: { Policy (JSON text) }
 * A resource without a policy answers the empty document `{}`, not an error.
 */
import type { ResourceInput } from '../validation/common';
import { resourceTable } from '../validation/resource';
import { defineOperation } from './operation';
import { parseResourceArn } from './resource-arn';

export const getResourcePolicy = defineOperation({
  name: 'GetResourcePolicy',
  validation: resourceTable,
  async execute(backend, input: ResourceInput): Promise<{ Policy: string }> {
    const policy = await backend.getResourcePolicy(parseResourceArn(input.ResourceARN));
    return { Policy: policy ?? '{}' };
  },
});
