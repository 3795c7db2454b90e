import { randomBytes } from 'node:crypto';

/** A name no other test uses (valid as a Kinesis stream name), so test files can run in parallel. */
export function randomName(prefix = 'test'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
