/**
 * The shape every Kinesis operation has: its AWS name, its validation table, and a pure
 * mapping from the validated wire input onto the `KinesisBackend` port and back.
 */
import type { KinesisBackend } from '../domain';
import type { ValidationTable } from '../validation/table';

/** Per-request facts an operation may need (ARNs, messages, clocks). */
export interface OperationContext {
  region: string;
  accountId: string;
  now(): Date;
}

/** One Kinesis operation; `execute` receives input already validated by `validation`. */
export interface Operation<I = unknown, O = unknown> {
  /** AWS operation name, the part of X-Amz-Target after `Kinesis_20131202.`. */
  name: string;
  validation: ValidationTable<I>;
  execute(backend: KinesisBackend, input: I, ctx: OperationContext): Promise<O>;
  /** Writes the output as JSON faster than JSON.stringify would, where that matters; same text. */
  serialize?(output: O): string | Uint8Array;
}

/** Declares an operation with its input and output types inferred (keeps each file short). */
export function defineOperation<I, O>(operation: Operation<I, O>): Operation<I, O> {
  return operation;
}
