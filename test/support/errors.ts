import { ShardlineError, type ErrorType } from '@shardline/protocol';

/** Asserts that `fn` throws a ShardlineError of `type`, and answers it for further checks. */
export function expectShardlineError(fn: () => unknown, type: ErrorType): ShardlineError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ShardlineError);
  expect((thrown as ShardlineError).type).toBe(type);
  return thrown as ShardlineError;
}

/** The async form: asserts that the promise rejects with a ShardlineError of `type`. */
export async function expectRejectsWith(promise: Promise<unknown>, type: ErrorType): Promise<ShardlineError> {
  const thrown = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(thrown).toBeInstanceOf(ShardlineError);
  expect((thrown as ShardlineError).type).toBe(type);
  return thrown as ShardlineError;
}
