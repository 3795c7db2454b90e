/**
 * Merges the rows of several shards in event-time order before they reach the application.
 * The application has one watermark (libs/sql: one per source), so a shard read ahead of
 * another would push it past the other's rows and make them late. The aligner releases a row
 * only while every active shard has a row waiting, smallest time first (a k-way merge); a shard
 * with nothing waiting and nothing read for `idleMs` is caught up and no longer waited for.
 * Each shard's queue is bounded: its reader waits (backpressure) until the merge drains it.
 *
 * A row carries its shard's message sequence; `released(shard)` is the last sequence whose
 * rows all reached the application — what a checkpoint may record.
 */
import type { Row } from '@shardline/sql';

interface Pending {
  row: Row;
  time: number;
  seq: number;
  /** The message's last row: releasing it releases the sequence. */
  last: boolean;
}

interface ShardQueue {
  rows: Pending[];
  head: number;
  lastReadAt: number;
  released?: number;
  waiters: Array<() => void>;
}

export class ShardAligner {
  private readonly shards = new Map<string, ShardQueue>();

  constructor(
    private readonly emit: (row: Row) => void,
    private readonly timeOf: (row: Row) => number,
    private readonly now: () => number,
    private readonly options: { idleMs: number; maxQueued: number },
  ) {}

  /** Makes the merge wait for a shard (call it for every shard before reading any). */
  add(shard: string): void {
    this.queue(shard);
  }

  /** Adds a message's rows; resolves once the shard's queue is below its bound again. */
  async push(shard: string, seq: number, rows: readonly Row[]): Promise<void> {
    const queue = this.queue(shard);
    queue.lastReadAt = this.now();
    if (rows.length === 0) {
      // Nothing to wait for: the sequence is released once the rows before it are.
      if (queue.head === queue.rows.length) queue.released = seq;
      else queue.rows[queue.rows.length - 1].seq = seq;
    }
    rows.forEach((row, i) => {
      const time = this.timeOf(row);
      queue.rows.push({ row, time: Number.isFinite(time) ? time : -Infinity, seq, last: i === rows.length - 1 });
    });
    this.drain();
    while (queue.rows.length - queue.head > this.options.maxQueued) await new Promise<void>((resolve) => queue.waiters.push(resolve));
  }

  /** Re-evaluates which shards are caught up (call it every so often). */
  tick(): void {
    this.drain();
  }

  /** The last sequence of the shard whose rows all reached the application. */
  released(shard: string): number | undefined {
    return this.shards.get(shard)?.released;
  }

  private queue(shard: string): ShardQueue {
    let queue = this.shards.get(shard);
    if (!queue) this.shards.set(shard, (queue = { rows: [], head: 0, lastReadAt: this.now(), waiters: [] }));
    return queue;
  }

  private drain(): void {
    const now = this.now();
    for (;;) {
      let next: ShardQueue | undefined;
      let blocked = false;
      for (const queue of this.shards.values()) {
        if (queue.head < queue.rows.length) {
          if (!next || queue.rows[queue.head].time < next.rows[next.head].time) next = queue;
        } else if (now - queue.lastReadAt < this.options.idleMs) {
          blocked = true; // an active shard with nothing waiting may still bring an earlier row
        }
      }
      if (!next || blocked) break;
      const pending = next.rows[next.head++];
      if (pending.last) next.released = pending.seq;
      if (next.head > 1024 && next.head * 2 > next.rows.length) {
        next.rows = next.rows.slice(next.head);
        next.head = 0;
      }
      if (next.rows.length - next.head <= this.options.maxQueued) next.waiters.splice(0).forEach((wake) => wake());
      this.emit(pending.row);
    }
  }
}
