import { randomUUID } from 'node:crypto';
import { TransformBatchError } from './errors';
import { PluginProcess, type PluginSpec } from './plugin-process';
import type { InvokePayload, ResultPayload } from './protocol';

interface Waiter {
  resolve(process: PluginProcess): void;
  reject(err: unknown): void;
}

/**
 * Warm processes of one plugin version, at most `size`, each running one batch at a time
 * (a Lambda function's concurrency). A dead process (timeout, out of memory, exit) is
 * dropped and a new one started when work needs it. `retire()` lets running batches finish,
 * then stops everything: how a new version takes over without dropping a batch.
 */
export class ProcessPool {
  private readonly idle: PluginProcess[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly all = new Set<PluginProcess>();
  private starting = 0;
  private isRetired = false;
  private running = 0;
  private drained?: () => void;

  constructor(
    readonly spec: PluginSpec,
    private readonly size = 1,
  ) {}

  /** True once retire() or stop() was called: the pool takes no new batches. */
  get retired(): boolean {
    return this.isRetired;
  }

  /** Batches running now. */
  get busy(): number {
    return this.running;
  }

  /** Starts the processes ahead of the first batch. */
  async warm(): Promise<void> {
    const missing = this.size - this.all.size - this.starting;
    const started = await Promise.all(Array.from({ length: missing }, () => this.spawn()));
    started.forEach((p) => this.release(p));
  }

  /** Runs one batch on a free process (waiting for one if all are busy). */
  async invoke(payload: InvokePayload, timeoutMs: number, awsRequestId: string = randomUUID()): Promise<ResultPayload> {
    if (this.isRetired) throw new TransformBatchError('This plugin version was replaced', 'Runtime.ExitError');
    this.running++;
    try {
      const process = await this.acquire();
      try {
        return await process.invoke(payload, timeoutMs, awsRequestId);
      } finally {
        this.release(process);
      }
    } finally {
      this.running--;
      if (this.running === 0) this.drained?.();
    }
  }

  /** Takes no new batches; resolves when the running ones finished and every process stopped. */
  async retire(): Promise<void> {
    this.isRetired = true;
    await Promise.all(this.idle.splice(0).map((p) => (this.all.delete(p), p.stop())));
    if (this.running > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    await this.stop();
  }

  /** Stops every process now (running batches fail). */
  async stop(): Promise<void> {
    this.isRetired = true;
    this.waiters.splice(0).forEach((w) => w.reject(new TransformBatchError('The plugin host stopped', 'Runtime.ExitError')));
    this.idle.length = 0;
    await Promise.all([...this.all].map((p) => p.stop()));
    this.all.clear();
  }

  private acquire(): Promise<PluginProcess> {
    // A process that died while idle (an error thrown from a timer) is skipped, not handed out.
    for (let ready = this.idle.pop(); ready; ready = this.idle.pop()) {
      if (ready.alive) return Promise.resolve(ready);
      this.all.delete(ready);
    }
    if (this.all.size + this.starting < this.size) return this.spawn();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private async spawn(): Promise<PluginProcess> {
    this.starting++;
    try {
      const process = await PluginProcess.start(this.spec);
      this.all.add(process);
      return process;
    } finally {
      this.starting--;
    }
  }

  /** Hands a process to the next waiter or back to the idle list; a dead one is replaced (kept warm). */
  private release(process: PluginProcess): void {
    const waiter = this.waiters.shift();
    if (!process.alive) {
      this.all.delete(process);
      if (waiter) this.spawn().then(waiter.resolve, waiter.reject);
      else if (!this.isRetired) this.spawn().then((p) => this.release(p), () => undefined);
      return;
    }
    if (waiter) waiter.resolve(process);
    else if (this.isRetired) {
      this.all.delete(process);
      void process.stop();
    } else this.idle.push(process);
  }
}
