/**
 * PutResourcePolicy
 *   request:  { ResourceARN (stream or consumer), Policy (JSON text) }
 *   response: {}
 * The policy is stored and answered back as given; Shardline does not evaluate IAM
 * policies (authentication is SigV4 against configured keys, without authorization rules).
 */
import { invalidArgument } from '../errors';
import { putResourcePolicyTable, type PutResourcePolicyInput } from '../validation/put-resource-policy';
import { defineOperation } from './operation';
import { parseResourceArn } from './resource-arn';

/** A policy document must be a JSON object. */
export function checkPolicyDocument(policy: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw invalidArgument('Invalid policy document: the policy is not valid JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalidArgument('Invalid policy document: the policy must be a JSON object.');
  }
}

export const putResourcePolicy = defineOperation({
  name: 'PutResourcePolicy',
  validation: putResourcePolicyTable,
  async execute(backend, input: PutResourcePolicyInput): Promise<Record<string, never>> {
    checkPolicyDocument(input.Policy);
    await backend.putResourcePolicy(parseResourceArn(input.ResourceARN), input.Policy);
    return {};
  },
});
