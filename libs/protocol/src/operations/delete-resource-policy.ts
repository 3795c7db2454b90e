/**
 * DeleteResourcePolicy
 *   request:  { ResourceARN (stream or consumer) }
 *   response: {}
 * Deleting the policy of a resource that has none succeeds (the resource must exist).
 */
import type { ResourceInput } from '../validation/common';
import { resourceTable } from '../validation/resource';
import { defineOperation } from './operation';
import { parseResourceArn } from './resource-arn';

export const deleteResourcePolicy = defineOperation({
  name: 'DeleteResourcePolicy',
  validation: resourceTable,
  async execute(backend, input: ResourceInput): Promise<Record<string, never>> {
    await backend.deleteResourcePolicy(parseResourceArn(input.ResourceARN));
    return {};
  },
});
