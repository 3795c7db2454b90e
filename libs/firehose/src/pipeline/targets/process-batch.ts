/**
 * Runs a batch through its processors: the record stages before the transform, the
 * transform (Lambda processor, run by the plugin host) in chunks of its BufferSizeInMBs,
 * then the stages after it. A transform invocation that fails as a whole is retried
 * NumberOfRetries times; then its records go to the error output as processing-failed.
 */
import type { FailedRecord, FirehoseRecord } from '../../model';
import { runStages } from '../../processing/compile-processing';
import type { RecordStage } from '../../processing/processing-configuration';

/** What one transform invocation gives back (the plugin host's contract). */
export interface TransformOutcome {
  ok: FirehoseRecord[];
  dropped: FirehoseRecord[];
  failed: FailedRecord[];
}

export interface TransformStep {
  /** Throws when the invocation fails as a whole (plugin threw, timed out, died, or broke the contract). */
  invoke(records: FirehoseRecord[]): Promise<TransformOutcome>;
  functionArn: string;
  numberOfRetries: number;
  /** Records per invocation are cut to at most this many bytes of data. */
  bufferSizeBytes: number;
  /** Invocations of one batch in flight at once. */
  concurrency: number;
}

export interface BatchProcessing {
  before: readonly RecordStage[];
  transform?: TransformStep;
  after: readonly RecordStage[];
}

export interface ProcessedBatch {
  records: FirehoseRecord[];
  failed: FailedRecord[];
  dropped: number;
  /** Milliseconds spent in the transform (ExecuteProcessing.Duration). */
  transformMs: number;
}

export async function processBatch(records: FirehoseRecord[], processing: BatchProcessing): Promise<ProcessedBatch> {
  const before = await runStages(processing.before, records);
  const failed = [...before.failed];
  let current = before.records;
  let dropped = 0;
  let transformMs = 0;
  if (processing.transform && current.length > 0) {
    const started = performance.now();
    const outcome = await transformAll(current, processing.transform);
    transformMs = performance.now() - started;
    current = outcome.ok;
    dropped = outcome.dropped.length;
    failed.push(...outcome.failed);
  }
  const after = await runStages(processing.after, current);
  failed.push(...after.failed);
  return { records: after.records, failed, dropped, transformMs };
}

async function transformAll(records: FirehoseRecord[], step: TransformStep): Promise<TransformOutcome> {
  const chunks = chunk(records, step.bufferSizeBytes);
  const results: TransformOutcome[] = new Array(chunks.length);
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const i = next++;
      results[i] = await transformChunk(chunks[i], step);
    }
  };
  await Promise.all(Array.from({ length: Math.min(step.concurrency, chunks.length) }, worker));
  return {
    ok: results.flatMap((r) => r.ok),
    dropped: results.flatMap((r) => r.dropped),
    failed: results.flatMap((r) => r.failed),
  };
}

async function transformChunk(records: FirehoseRecord[], step: TransformStep): Promise<TransformOutcome> {
  let lastError: unknown;
  for (let attempt = 0; attempt <= step.numberOfRetries; attempt++) {
    try {
      return await step.invoke(records);
    } catch (err) {
      lastError = err;
    }
  }
  const { errorCode, errorMessage } = invocationError(lastError);
  return {
    ok: [],
    dropped: [],
    failed: records.map((record) => ({ record, type: 'processing-failed', errorCode, errorMessage, attemptsMade: step.numberOfRetries + 1 })),
  };
}

function invocationError(err: unknown): { errorCode: string; errorMessage: string } {
  const code = (err as { errorCode?: unknown })?.errorCode;
  return {
    errorCode: typeof code === 'string' ? code : 'Lambda.FunctionError',
    errorMessage: err instanceof Error ? err.message : String(err),
  };
}

/** Consecutive records in chunks of at most `maxBytes` of data (a record larger than that goes alone). */
function chunk(records: FirehoseRecord[], maxBytes: number): FirehoseRecord[][] {
  const chunks: FirehoseRecord[][] = [];
  let current: FirehoseRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    if (current.length > 0 && bytes + record.data.length > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(record);
    bytes += record.data.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
