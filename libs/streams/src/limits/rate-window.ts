/**
 * The arithmetic of per-shard throughput limits, pure and clock-free (every call takes
 * `now`, so tests drive time by hand).
 *
 * Writes and read calls use a sliding window of one second, AWS's granularity: whatever
 * instant you pick, what was admitted in the second before it stays within the limit, so
 * a burst at a second's end cannot be followed by a full second's worth right after (a
 * fixed per-second counter would allow twice the limit across its boundary). Read bytes
 * use a bucket that may go into debt: a GetRecords call may return up to 10 MiB whatever
 * the 2 MiB/s limit, and AWS then refuses the shard's reads until the debt is paid
 * (about 5 s after a 10 MiB call).
 */

/** A per-second budget of records (or calls) and bytes. */
export interface RateLimit {
  count: number;
  bytes: number;
}

/** What may still be admitted now. */
export interface Allowance {
  count: number;
  bytes: number;
}

const WINDOW_MS = 1000;

/**
 * Usage of the last second as entries (time, count, bytes) in arrival order; entries older
 * than a second are dropped as time moves on. Callers add one entry per admission round,
 * not per record, so a round of 500 records costs one entry.
 */
export class SlidingWindow {
  private times: number[] = [];
  private counts: number[] = [];
  private bytesOf: number[] = [];
  private head = 0;
  private count = 0;
  private bytes = 0;

  constructor(readonly limit: RateLimit) {}

  /** What may still be admitted at `now` without passing the limit in any one-second window. */
  available(now: number): Allowance {
    this.expire(now);
    return { count: Math.max(0, this.limit.count - this.count), bytes: Math.max(0, this.limit.bytes - this.bytes) };
  }

  /** Records usage at `time` (admitted now, or found in storage when a new owner seeds its window). */
  add(time: number, count: number, bytes: number): void {
    if (count === 0 && bytes === 0) return;
    this.times.push(time);
    this.counts.push(count);
    this.bytesOf.push(bytes);
    this.count += count;
    this.bytes += bytes;
  }

  /** Admits one unit of `bytes` if it fits (read calls: one call, no bytes). */
  tryAdd(now: number, count: number, bytes: number): boolean {
    const free = this.available(now);
    if (count > free.count || bytes > free.bytes) return false;
    this.add(now, count, bytes);
    return true;
  }

  private expire(now: number): void {
    const cutoff = now - WINDOW_MS;
    while (this.head < this.times.length && this.times[this.head] <= cutoff) {
      this.count -= this.counts[this.head];
      this.bytes -= this.bytesOf[this.head];
      this.head++;
    }
    // Compact now and then, so the arrays do not grow with the shard's lifetime.
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.bytesOf = this.bytesOf.slice(this.head);
      this.head = 0;
    }
  }
}

/**
 * Bytes per second with debt: a call is admitted while the balance is positive, its bytes
 * are charged afterwards (the balance may go below zero), and the balance refills at
 * `bytesPerSecond` up to one second's worth.
 */
export class DebtBucket {
  private balance: number;
  private at: number | undefined;

  constructor(readonly bytesPerSecond: number) {
    this.balance = bytesPerSecond;
  }

  /** True when a call may proceed now. */
  open(now: number): boolean {
    this.refill(now);
    return this.balance > 0;
  }

  charge(now: number, bytes: number): void {
    this.refill(now);
    this.balance -= bytes;
  }

  private refill(now: number): void {
    if (this.at !== undefined && now > this.at) {
      this.balance = Math.min(this.bytesPerSecond, this.balance + ((now - this.at) * this.bytesPerSecond) / WINDOW_MS);
    }
    if (this.at === undefined || now > this.at) this.at = now;
  }
}
