/**
 * A whole invocation failed: the transform threw, timed out, ran out of memory, exited, or
 * answered outside the contract (a recordId missing or twice). Firehose retries such a batch
 * (NumberOfRetries), then sends its records to the processing-failed error output.
 * `errorCode` uses Lambda's and Firehose's names (Sandbox.Timedout, Runtime.OutOfMemory,
 * Lambda.MissingRecordId, ...).
 */
export class TransformBatchError extends Error {
  constructor(
    message: string,
    readonly errorCode: string,
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'TransformBatchError';
  }
}
