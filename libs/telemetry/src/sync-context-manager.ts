import { ROOT_CONTEXT, type Context, type ContextManager } from '@opentelemetry/api';

/**
 * A context manager that keeps the active context only for the synchronous part of
 * `context.with`. On Node 20 the SDK's default (AsyncLocalStorage over async_hooks) runs a
 * hook on every promise, which measured ~200 µs of CPU per Kinesis request here; so spans
 * pass their context on explicitly (`withSpan` hands it to its callback) and nothing pays
 * for implicit propagation. Set OTEL_ASYNC_CONTEXT=1 to use AsyncLocalStorage instead
 * (cheap from Node 24, where it is built on AsyncContextFrame).
 */
export class SyncContextManager implements ContextManager {
  private current: Context = ROOT_CONTEXT;

  active(): Context {
    return this.current;
  }

  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    context: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    const previous = this.current;
    this.current = context;
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.current = previous;
    }
  }

  bind<T>(context: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const fn = target as unknown as (...args: unknown[]) => unknown;
    return ((...args: unknown[]) => this.with(context, () => fn(...args))) as unknown as T;
  }

  enable(): this {
    return this;
  }

  disable(): this {
    this.current = ROOT_CONTEXT;
    return this;
  }
}
