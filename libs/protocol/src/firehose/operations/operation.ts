/**
 * The shape of every Firehose operation: its AWS name (after `Firehose_20150804.`), its
 * validation table, and a mapping from the validated wire input onto the FirehoseBackend.
 */
import { validate } from '../../validation/engine';
import type { ValidationTable } from '../../validation/table';
import type { OperationContext } from '../../operations/operation';
import type { FirehoseBackend } from '../domain';

export interface FirehoseOperation<I = unknown, O = unknown> {
  name: string;
  validation: ValidationTable<I>;
  execute(backend: FirehoseBackend, input: I, ctx: OperationContext): Promise<O>;
}

export function defineFirehoseOperation<I, O>(operation: FirehoseOperation<I, O>): FirehoseOperation<I, O> {
  return operation;
}

/** Validates a parsed JSON body against the operation's table and executes it; throws ShardlineError. */
export async function runFirehoseOperation<I, O>(
  operation: FirehoseOperation<I, O>,
  backend: FirehoseBackend,
  body: unknown,
  ctx: OperationContext,
): Promise<O> {
  return operation.execute(backend, validate(operation.validation, body), ctx);
}
