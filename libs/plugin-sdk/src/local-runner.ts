import { dirname } from 'node:path';
import { invocationOf, outcomeOf, type TransformInputRecord, type TransformOutcome } from './runtime/contract';
import { resolveEntry } from './runtime/entry';
import { TransformBatchError } from './runtime/errors';
import type { PluginSpec } from './runtime/plugin-process';
import { ProcessPool } from './runtime/process-pool';

/** Options of a local run; the defaults are what an unconfigured plugin gets on the host. */
export interface LocalRunOptions {
  /** Exported function name (default `handler`). */
  handler?: string;
  memoryMiB?: number;
  timeoutMs?: number;
  environment?: Record<string, string>;
  region?: string;
  deliveryStreamArn?: string;
  sourceKinesisStreamArn?: string;
  /** The plugin's console output (default: stderr). */
  log?: (line: string) => void;
}

export const DEFAULT_MEMORY_MIB = 128;
export const DEFAULT_TIMEOUT_MS = 60_000;
/** Lambda's ceiling for a Firehose transform. */
export const MAX_TIMEOUT_MS = 300_000;

/**
 * Runs a transform file (or an unpacked package directory) on a batch exactly as the host
 * does: the same child process, limits, event and contract checks. For tests and
 * `shardline transform test`.
 */
export async function runTransform<R extends TransformInputRecord>(
  path: string,
  records: readonly R[],
  options: LocalRunOptions = {},
): Promise<TransformOutcome<R>> {
  const entry = await resolveEntry(path);
  if (!entry) throw new TransformBatchError(`No plugin module at ${path}`, 'Runtime.ImportModuleError', false);
  const region = options.region ?? 'us-east-1';
  const spec: PluginSpec = {
    entry,
    handler: options.handler ?? 'handler',
    functionName: 'local-transform',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:local-transform`,
    memoryMiB: options.memoryMiB ?? DEFAULT_MEMORY_MIB,
    cwd: dirname(entry),
    region,
    environment: options.environment ?? {},
    ...(options.log ? { log: options.log } : {}),
  };
  const pool = new ProcessPool(spec, 1);
  try {
    const payload = invocationOf(records, {
      invocationId: crypto.randomUUID(),
      deliveryStreamArn: options.deliveryStreamArn ?? `arn:aws:firehose:${region}:000000000000:deliverystream/local`,
      ...(options.sourceKinesisStreamArn ? { sourceKinesisStreamArn: options.sourceKinesisStreamArn } : {}),
      region,
    });
    const answer = await pool.invoke(payload, Math.min(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS));
    return outcomeOf(records, answer);
  } finally {
    await pool.stop();
  }
}
