import { randomUUID } from 'node:crypto';
import { invocationOf, MAX_TIMEOUT_MS, outcomeOf, ProcessPool, TransformBatchError } from '@shardline/plugin-sdk';
import type { FailedRecord, FirehoseRecord } from '../model';
import { parsePluginRef, pluginArn, type PluginRef } from './plugin-ref';
import type { PluginRegistry, ResolvedPlugin } from './plugin-registry';

/** Options of a host. */
export interface TransformHostOptions {
  registry: PluginRegistry;
  /** Processes per plugin version (concurrent batches of one version). Default 1. */
  poolSize?: number;
  /** Account id in the function ARNs the plugins see. */
  accountId?: string;
  /** A version's processes stop after this long without a batch. Default 5 minutes. */
  idleMs?: number;
  /** Where plugin output goes (default: stderr with a `[name:version]` prefix). */
  log?: (plugin: string, line: string) => void;
}

/** The batch's context: who invokes, and how long the plugin may take. */
export interface TransformContext {
  deliveryStreamArn: string;
  sourceKinesisStreamArn?: string;
  region: string;
  /** Capped by the version's own timeout and Lambda's 5 minutes. */
  timeoutMs: number;
  /** Attempts made so far, for the failed records' attemptsMade (default 1). */
  attempt?: number;
}

/** What a transform made of a batch, each list in the batch's order. */
export interface TransformResult {
  /** Delivered on: data replaced, partitionKeys.lambda from the answer's metadata.partitionKeys. */
  ok: FirehoseRecord[];
  dropped: FirehoseRecord[];
  /** Answered ProcessingFailed: for the processing-failed error output. */
  failed: FailedRecord[];
}

interface HostedPool {
  pool: ProcessPool;
  /** Some delivery stream names this exact version: keep it when a newer one appears. */
  pinned: boolean;
  lastUsed: number;
}

const IDLE_MS = 5 * 60_000;

/**
 * Runs transform plugins for the pipeline: a warm ProcessPool per plugin version, outside
 * this process's heap and event loop. A new version serves the next batch of every stream
 * that follows "latest"; the old version's pool finishes its running batches, then stops.
 */
export class TransformHost {
  private readonly pools = new Map<string, HostedPool>();
  private unsubscribe?: () => void;
  private sweeper?: NodeJS.Timeout;

  constructor(readonly options: TransformHostOptions) {}

  /** Follows new versions (the registry must be started) and stops idle pools. */
  start(): void {
    this.unsubscribe = this.options.registry.onNewVersion(({ name, version }) => this.retireOlder(name, version));
    const idleMs = this.options.idleMs ?? IDLE_MS;
    this.sweeper = setInterval(() => this.sweep(idleMs), Math.min(idleMs, 60_000));
    this.sweeper.unref();
  }

  /** Stops every plugin process (running batches fail). */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.sweeper);
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((p) => p.pool.stop()));
  }

  /** Runs one batch through the plugin `ref` names (see invokeTransform). */
  async invoke(ref: string | PluginRef, records: FirehoseRecord[], ctx: TransformContext): Promise<TransformResult> {
    if (records.length === 0) return { ok: [], dropped: [], failed: [] };
    const parsed = typeof ref === 'string' ? refOf(ref) : ref;
    const plugin = await this.options.registry.resolve(parsed);
    const hosted = this.poolOf(plugin, ctx.region, parsed.version !== 'latest');
    const timeoutMs = Math.min(ctx.timeoutMs, plugin.timeoutSeconds * 1000, MAX_TIMEOUT_MS);
    const payload = invocationOf(records, {
      invocationId: randomUUID(),
      deliveryStreamArn: ctx.deliveryStreamArn,
      ...(ctx.sourceKinesisStreamArn ? { sourceKinesisStreamArn: ctx.sourceKinesisStreamArn } : {}),
      region: ctx.region,
    });
    const answer = await hosted.pool.invoke(payload, timeoutMs).finally(() => (hosted.lastUsed = Date.now()));
    const outcome = outcomeOf(records, answer);
    const attemptsMade = ctx.attempt ?? 1;
    return {
      ok: outcome.ok.map(({ record, data, partitionKeys }) =>
        partitionKeys ? { ...record, data, partitionKeys: { ...record.partitionKeys, lambda: partitionKeys } } : { ...record, data },
      ),
      dropped: outcome.dropped,
      failed: outcome.failed.map((record) => ({
        record,
        type: 'processing-failed',
        errorCode: 'Lambda.ProcessingFailedStatus',
        errorMessage: 'The transform answered ProcessingFailed for this record',
        attemptsMade,
      })),
    };
  }

  private poolOf(plugin: ResolvedPlugin, region: string, pinned: boolean): HostedPool {
    const key = `${plugin.name}:${plugin.version}`;
    let hosted = this.pools.get(key);
    if (!hosted || hosted.pool.retired) {
      const log = this.options.log;
      const pool = new ProcessPool(
        {
          entry: plugin.entry,
          handler: plugin.handler,
          functionName: plugin.name,
          functionVersion: String(plugin.version),
          invokedFunctionArn: pluginArn(region, this.options.accountId ?? '000000000000', plugin.name, plugin.version),
          memoryMiB: plugin.memoryMiB,
          cwd: plugin.dir,
          region,
          environment: plugin.environment,
          ...(log ? { log: (line: string) => log(key, line) } : {}),
        },
        this.options.poolSize ?? 1,
      );
      hosted = { pool, pinned: false, lastUsed: Date.now() };
      this.pools.set(key, hosted);
    }
    hosted.pinned ||= pinned;
    return hosted;
  }

  /** A newer version took over "latest": older unpinned pools finish their batches and stop (all of them, on a delete). */
  private retireOlder(name: string, version: number): void {
    for (const [key, hosted] of this.pools) {
      const [poolName, poolVersion] = key.split(':');
      if (poolName !== name || (version > 0 && (Number(poolVersion) >= version || hosted.pinned))) continue;
      this.pools.delete(key);
      void hosted.pool.retire();
    }
  }

  private sweep(idleMs: number): void {
    const now = Date.now();
    for (const [key, hosted] of this.pools) {
      if (hosted.pool.busy > 0 || now - hosted.lastUsed < idleMs) continue;
      this.pools.delete(key);
      void hosted.pool.retire();
    }
  }
}

/** A bad reference fails the batch like a missing function does (retried, then processing-failed). */
function refOf(ref: string): PluginRef {
  try {
    return parsePluginRef(ref);
  } catch (err) {
    throw new TransformBatchError(err instanceof Error ? err.message : String(err), 'Lambda.InvalidFunctionArn', false);
  }
}

/**
 * Runs one batch through a transform plugin: records out Ok (new data and partition keys),
 * Dropped, or ProcessingFailed (as processing-failed FailedRecords). Throws a retryable
 * TransformBatchError when the invocation fails as a whole (throw, timeout, out of memory,
 * exit, a recordId missing or duplicated, no such plugin).
 */
export function invokeTransform(host: TransformHost, pluginRef: string | PluginRef, records: FirehoseRecord[], ctx: TransformContext): Promise<TransformResult> {
  return host.invoke(pluginRef, records, ctx);
}
