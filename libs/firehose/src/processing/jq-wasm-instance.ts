/**
 * One jq WebAssembly instance that survives many calls. jq-wasm's own `raw()` runs jq's main()
 * through Emscripten's callMain, which puts argv on the wasm stack and never pops it (main
 * exits by throwing), so the ~1 MB stack leaks on every call: after a few hundred KB of
 * arguments or a few thousand calls the shared instance dies with "memory access out of
 * bounds" for the rest of the process. This wrapper instantiates the same jq build itself
 * (Emscripten's documented `instantiateWasm` hook, with the module compiled once) so it holds
 * the instance's exports, and around each call saves the stack pointer and puts it back with
 * the one stack export the build has (`_emscripten_stack_alloc`, export "J": sp = (sp - n) & -16,
 * so a negative n raises it). Calls are serialized; an instance that still faults is dropped
 * and the call retried once on a fresh one.
 */
import { readFileSync } from 'node:fs';
import jqFactory from 'jq-wasm/dist/build/jq';

// The project's TypeScript lib (ES2023, no DOM) does not declare WebAssembly: the part used here.
type WasmModule = object;
interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => WasmInstance;
}
const WebAssemblyApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface JqModule {
  raw(input: string, filter: string, flags: string[]): Promise<string>;
}

interface Instance {
  module: JqModule;
  stackAlloc: (bytes: number) => number;
}

let compiled: WasmModule | undefined;
let current: Promise<Instance> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function wasmModule(): WasmModule {
  if (!compiled) {
    // The build embeds its wasm as a base64 data URI; compiling it once makes each new
    // instance cheap (~3 ms instead of ~30 ms).
    const source = readFileSync(require.resolve('jq-wasm/dist/build/jq.js'), 'utf8');
    const match = /data:application\/octet-stream;base64,([A-Za-z0-9+/=]+)/.exec(source);
    if (!match) throw new Error('jq-wasm build layout changed: embedded wasm not found');
    compiled = new WebAssemblyApi.Module(Buffer.from(match[1], 'base64'));
  }
  return compiled;
}

async function createInstance(): Promise<Instance> {
  const wasm = wasmModule();
  let exports: Record<string, unknown> | undefined;
  const module = (await jqFactory({
    instantiateWasm(imports: object, receive: (instance: WasmInstance, module: WasmModule) => void) {
      const instance = new WebAssemblyApi.Instance(wasm, imports);
      exports = instance.exports;
      receive(instance, wasm);
      return instance.exports;
    },
  })) as JqModule;
  const stackAlloc = exports?.J;
  if (typeof stackAlloc !== 'function') throw new Error('jq-wasm build layout changed: _emscripten_stack_alloc not found');
  return { module, stackAlloc: stackAlloc as (bytes: number) => number };
}

async function callOnce(input: string, filter: string, flags: string[]): Promise<string> {
  current ??= createInstance();
  const instance = await current;
  const saved = instance.stackAlloc(0);
  // Emscripten's exit handler sets process.exitCode to jq's status (3 for a query that does
  // not compile): the host process would later exit with it. The host's own code is kept.
  const exitCode = process.exitCode;
  try {
    return await instance.module.raw(input, filter, flags);
  } finally {
    process.exitCode = exitCode;
    instance.stackAlloc(instance.stackAlloc(0) - saved);
  }
}

const FAULT = /memory access out of bounds|Aborted|unreachable/;

/** Runs jq (`jq <flags> <filter>` over `input`); rejects with jq's stderr on a jq error. */
export function jqRaw(input: string, filter: string, flags: string[]): Promise<string> {
  const run = async () => {
    try {
      return await callOnce(input, filter, flags);
    } catch (err) {
      if (!FAULT.test((err as Error).message)) throw err;
      current = undefined;
      return callOnce(input, filter, flags);
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
