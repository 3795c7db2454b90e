/** Helpers for the operations' unit specs: run an operation by its AWS name, catch its typed error. */
import { ShardlineError } from '../errors';
import type { KinesisBackend } from '../domain';
import { kinesisOperations, runOperation } from './index';
import type { OperationContext } from './operation';

/** Validates and runs the operation named `name` (as X-Amz-Target names it) against `backend`. */
export function runNamed(backend: KinesisBackend, name: string, body: Record<string, unknown>, ctx: OperationContext): Promise<unknown> {
  const operation = kinesisOperations.get(name);
  if (!operation) throw new Error(`no operation ${name}`);
  return runOperation(operation, backend, body, ctx);
}

/** The typed error a call fails with; fails the test when the call succeeds or throws anything else. */
export async function failure(promise: Promise<unknown>): Promise<{ type: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ShardlineError) return { type: err.type, message: err.message };
    throw err;
  }
  throw new Error('expected a failure');
}
