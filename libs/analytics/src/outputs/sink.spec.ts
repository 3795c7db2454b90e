import type { Row } from '@shardline/sql';
import { OutputQueue, withRetries, type RowSink } from './sink';

class SlowSink implements RowSink {
  readonly batches: Row[][] = [];
  private release: Array<() => void> = [];
  failNext = false;

  async write(rows: readonly Row[]): Promise<void> {
    await new Promise<void>((resolve) => this.release.push(resolve));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('refused');
    }
    this.batches.push([...rows]);
  }

  /** Lets the write in flight finish. */
  async next(): Promise<void> {
    while (this.release.length === 0) await new Promise((resolve) => setImmediate(resolve));
    this.release.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  }

  async close(): Promise<void> {}
}

describe('OutputQueue', () => {
  it('writes one batch at a time and drains only what was pushed before the call', async () => {
    const sink = new SlowSink();
    const queue = new OutputQueue('t', sink, () => undefined);
    queue.push({ a: 1 });
    let firstDrained = false;
    const first = queue.drain().then(() => (firstDrained = true));
    queue.push({ a: 2 });
    queue.push({ a: 3 });
    await sink.next();
    expect(sink.batches).toEqual([[{ a: 1 }]]);
    await first;
    expect(firstDrained).toBe(true);
    let allDrained = false;
    const all = queue.drain().then(() => (allDrained = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(allDrained).toBe(false);
    await sink.next();
    await all;
    expect(sink.batches).toEqual([[{ a: 1 }], [{ a: 2 }, { a: 3 }]]);
  });

  it('counts a batch the sink gave up on and goes on', async () => {
    const sink = new SlowSink();
    const errors: unknown[] = [];
    const queue = new OutputQueue('t', sink, (err) => errors.push(err));
    sink.failNext = true;
    queue.push({ a: 1 });
    await sink.next();
    queue.push({ a: 2 });
    await sink.next();
    await queue.drain();
    expect(queue.failed).toBe(1);
    expect(errors).toHaveLength(1);
    expect(sink.batches).toEqual([[{ a: 2 }]]);
  });
});

describe('withRetries', () => {
  it('retries what is retriable up to the attempts, and stops at once on the rest', async () => {
    let calls = 0;
    await expect(withRetries(async () => (++calls < 3 ? Promise.reject(new Error('again')) : 'ok'), { attempts: 5, initialMs: 1 })).resolves.toBe('ok');
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetries(async () => Promise.reject(new Error(String(++calls))), { attempts: 3, initialMs: 1 })).rejects.toThrow('3');
    calls = 0;
    await expect(withRetries(async () => Promise.reject(new Error(String(++calls))), { attempts: 3, initialMs: 1, retriable: () => false })).rejects.toThrow('1');
  });
});
