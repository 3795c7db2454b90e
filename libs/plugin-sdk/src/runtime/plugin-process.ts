import { fork, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TransformBatchError } from './errors';
import type { ChildConfig, ChildMessage, InvokePayload, ResultPayload } from './protocol';

/** How to run one plugin version: what the child loads and the limits it runs under. */
export interface PluginSpec extends ChildConfig {
  /** Directory the plugin runs in (LAMBDA_TASK_ROOT). */
  cwd: string;
  region: string;
  /** The only environment the plugin sees, besides Lambda's reserved variables. */
  environment: Record<string, string>;
  /** Time to load the module (Lambda's init phase, 10 s). */
  initTimeoutMs?: number;
  /** Where the plugin's stdout and stderr lines go (default: this process's stderr, prefixed). */
  log?: (line: string) => void;
}

const INIT_TIMEOUT_MS = 10_000;
/** Node's own footprint, outside the plugin's memory size: RSS above size + this kills the process. */
const RSS_ALLOWANCE_MIB = 96;
const RSS_POLL_MS = 200;
const STDERR_TAIL = 4096;

/** Lambda's reserved variables, and nothing of this process's environment. */
function environmentOf(spec: PluginSpec): Record<string, string> {
  return {
    ...spec.environment,
    AWS_REGION: spec.region,
    AWS_DEFAULT_REGION: spec.region,
    AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
    AWS_LAMBDA_FUNCTION_VERSION: spec.functionVersion,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMiB),
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs_shardline',
    LAMBDA_TASK_ROOT: spec.cwd,
    TZ: ':UTC',
  };
}

interface Pending {
  id: number;
  resolve(result: ResultPayload): void;
  reject(err: TransformBatchError): void;
}

/**
 * One warm process running one plugin version, one invocation at a time. A throw fails the
 * invocation; a timeout, too much memory or an exit kills the process (`alive` turns false)
 * and fails the invocation with Lambda's error names. The owner (ProcessPool) replaces it.
 */
export class PluginProcess {
  private pending?: Pending;
  private nextId = 1;
  private stderrTail = '';
  private exited = false;
  private killedFor?: TransformBatchError;
  private readonly exit: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly spec: PluginSpec,
  ) {
    // 'close', not 'exit': by then stderr is drained, so an out-of-memory report is in the tail.
    this.exit = new Promise((resolve) => child.once('close', () => resolve()));
    child.once('error', (err) => this.kill(new TransformBatchError(`The plugin process failed: ${err.message}`, 'Runtime.ExitError')));
    child.once('close', (code, signal) => {
      this.exited = true;
      this.fail(this.killedFor ?? this.exitError(code, signal));
    });
    child.on('message', (msg: ChildMessage) => this.receive(msg));
    const log = spec.log ?? ((line: string) => process.stderr.write(`[${spec.functionName}:${spec.functionVersion}] ${line}\n`));
    for (const stream of [child.stdout, child.stderr]) stream?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => lines(chunk, log));
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
      lines(chunk, log);
    });
  }

  /** Forks the plugin's process and waits until its module is loaded (init errors reject). */
  static async start(spec: PluginSpec): Promise<PluginProcess> {
    const config: ChildConfig = {
      entry: spec.entry,
      handler: spec.handler,
      functionName: spec.functionName,
      functionVersion: spec.functionVersion,
      invokedFunctionArn: spec.invokedFunctionArn,
      memoryMiB: spec.memoryMiB,
    };
    const child = fork(join(__dirname, 'child.js'), [JSON.stringify(config)], {
      cwd: spec.cwd,
      env: environmentOf(spec),
      // Not this process's execArgv (a TypeScript loader, inspector flags): only the heap limit.
      execArgv: [`--max-old-space-size=${spec.memoryMiB}`],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const plugin = new PluginProcess(child, spec);
    await plugin.ready(spec.initTimeoutMs ?? INIT_TIMEOUT_MS);
    return plugin;
  }

  get alive(): boolean {
    return !this.exited && this.killedFor === undefined;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Runs one batch; rejects with a TransformBatchError when the invocation fails as a whole. */
  invoke(payload: InvokePayload, timeoutMs: number, awsRequestId: string): Promise<ResultPayload> {
    if (!this.alive) return Promise.reject(new TransformBatchError('The plugin process is gone', 'Runtime.ExitError'));
    if (this.pending) return Promise.reject(new Error('PluginProcess runs one invocation at a time'));
    const id = this.nextId++;
    return new Promise<ResultPayload>((resolve, reject) => {
      const timer = setTimeout(
        () => this.kill(new TransformBatchError(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`, 'Sandbox.Timedout')),
        timeoutMs,
      );
      const watchdog = this.watchMemory();
      const done = () => {
        clearTimeout(timer);
        clearInterval(watchdog);
        this.pending = undefined;
      };
      this.pending = {
        id,
        resolve: (result) => (done(), resolve(result)),
        reject: (err) => (done(), reject(err)),
      };
      this.child.send({ type: 'invoke', id, deadline: Date.now() + timeoutMs, awsRequestId, ...payload }, (err) => {
        if (err) this.kill(new TransformBatchError(`Could not send the batch to the plugin: ${err.message}`, 'Runtime.ExitError'));
      });
    });
  }

  /** Ends the process (SIGKILL: a plugin may ignore anything gentler) and waits for its exit. */
  async stop(): Promise<void> {
    this.kill(new TransformBatchError('The plugin was stopped', 'Runtime.ExitError'));
    await this.exit;
  }

  private ready(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill(new TransformBatchError(`The plugin did not load within ${timeoutMs} ms`, 'Runtime.InitTimeout'));
      }, timeoutMs);
      const settle = (err?: TransformBatchError) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('close', onExit);
        if (err) {
          this.kill(err);
          reject(err);
        } else resolve();
      };
      const onMessage = (msg: ChildMessage) => {
        if (msg.type === 'ready') settle();
        else if (msg.type === 'init-error') settle(new TransformBatchError(msg.errorMessage, msg.errorType));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => settle(this.killedFor ?? this.exitError(code, signal));
      this.child.on('message', onMessage);
      this.child.once('close', onExit);
    });
  }

  private receive(msg: ChildMessage): void {
    const pending = this.pending;
    if (!pending) return;
    if (msg.type === 'result' && msg.id === pending.id) pending.resolve(msg);
    else if (msg.type === 'error' && msg.id === pending.id) {
      const err = functionError(msg.errorType, msg.errorMessage);
      if (msg.errorType === 'Runtime.UncaughtException') this.kill(err); // the sandbox is recycled, as Lambda does
      else pending.reject(err);
    }
  }

  private fail(err: TransformBatchError): void {
    this.pending?.reject(err);
  }

  private kill(reason: TransformBatchError): void {
    this.killedFor ??= reason;
    this.fail(reason);
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Buffers live outside the V8 heap limit: the resident set is checked too, while a batch runs (Linux). */
  private watchMemory(): NodeJS.Timeout | undefined {
    if (process.platform !== 'linux' || !this.child.pid) return undefined;
    const limit = (this.spec.memoryMiB + RSS_ALLOWANCE_MIB) * 1024 * 1024;
    const statm = `/proc/${this.child.pid}/statm`;
    return setInterval(() => {
      void readFile(statm, 'utf8').then(
        (text) => {
          const rss = Number(text.split(' ')[1]) * 4096;
          if (rss > limit) this.kill(outOfMemory(`The plugin used ${Math.round(rss / 1048576)} MiB, over its ${this.spec.memoryMiB} MiB`));
        },
        () => undefined,
      );
    }, RSS_POLL_MS);
  }

  private exitError(code: number | null, signal: NodeJS.Signals | null): TransformBatchError {
    if (/heap out of memory|Reached heap limit|Allocation failed/.test(this.stderrTail)) {
      return outOfMemory(`The plugin ran out of its ${this.spec.memoryMiB} MiB heap`);
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
    return new TransformBatchError(`The plugin process exited (${how})${tail ? `: ${tail}` : ''}`, 'Runtime.ExitError');
  }
}

/** A handler that threw is Firehose's Lambda.FunctionError; the runtime's own errors keep their names. */
function functionError(errorType: string, errorMessage: string): TransformBatchError {
  if (errorType.startsWith('Runtime.') || errorType.startsWith('Lambda.')) return new TransformBatchError(errorMessage, errorType);
  return new TransformBatchError(`${errorType}: ${errorMessage}`, 'Lambda.FunctionError');
}

function outOfMemory(message: string): TransformBatchError {
  return new TransformBatchError(message, 'Runtime.OutOfMemory');
}

function lines(chunk: string, log: (line: string) => void): void {
  for (const line of chunk.split('\n')) if (line) log(line);
}
