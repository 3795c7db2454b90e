import { admitPrefix, firstPartCount, messageUsage } from '@shardline/messaging';
import type { ShardAddress, ShardStore } from '@shardline/messaging';
import { SlidingWindow, type Allowance, type RateLimit } from './rate-window';
import { recentUsage } from './recent-usage';

/** One append as admission sees it: its messages, and how many of its records were admitted when not all. */
export interface AdmittedAppend {
  messages: Buffer[];
  admitted?: number;
}

/**
 * A shard's write limit, as its actor (the single writer) enforces it: each append of a
 * mailbox round is cut to the prefix of its records the one-second window still allows,
 * and the window is seeded from what the shard stored in the last second, so a shard that
 * moves to a new owner keeps the usage its old owner admitted.
 */
export class WriteAdmission {
  private readonly window: SlidingWindow;

  constructor(readonly limit: RateLimit) {
    this.window = new SlidingWindow(limit);
  }

  /** Counts what the shard stored in the second before `now` (whoever wrote it); answers the newest arrival stamp. */
  async seed(store: ShardStore, shard: ShardAddress, lastSeq: number, now: number): Promise<number> {
    let newest = 0;
    for (const entry of await recentUsage(store, shard, lastSeq, now - 1000, this.limit)) {
      this.window.add(entry.time, entry.records, entry.bytes);
      newest = Math.max(newest, entry.time);
    }
    return newest;
  }

  /** Cuts each append of a round to what the window allows at `timestamp`, and counts it. Records refused are not written. */
  admit(batch: AdmittedAppend[], timestamp: number): void {
    const free = this.window.available(timestamp);
    const before = { ...free };
    for (const append of batch) {
      const kept = admitMessages(append.messages, free);
      if (kept) {
        append.messages = kept.messages;
        append.admitted = kept.records;
      }
    }
    this.window.add(timestamp, before.count - free.count, before.bytes - free.bytes);
  }

  /** True when this is the limit already enforced. */
  enforces(limit: RateLimit | undefined): boolean {
    return limit?.count === this.limit.count && limit?.bytes === this.limit.bytes;
  }
}

/**
 * The prefix of an append's messages that `free` allows, taking it from `free`; undefined
 * when everything fits. A large record's parts are admitted or refused together.
 */
function admitMessages(messages: Buffer[], free: Allowance): { messages: Buffer[]; records: number } | undefined {
  const kept: Buffer[] = [];
  let records = 0;
  for (let m = 0; m < messages.length; m++) {
    const parts = firstPartCount(messages[m]);
    if (parts > 0) {
      let bytes = 0;
      for (let p = m; p < m + parts; p++) bytes += messageUsage(messages[p]).bytes;
      if (free.count < 1 || bytes > free.bytes) return { messages: kept, records };
      kept.push(...messages.slice(m, m + parts));
      free.count -= 1;
      free.bytes -= bytes;
      records += 1;
      m += parts - 1;
      continue;
    }
    const prefix = admitPrefix(messages[m], free.count, free.bytes);
    free.count -= prefix.records;
    free.bytes -= prefix.bytes;
    records += prefix.records;
    if (prefix.payload === messages[m]) kept.push(prefix.payload);
    else {
      // Cut short: the records after it are refused too (admission is a prefix, in order).
      if (prefix.records > 0) kept.push(prefix.payload);
      return { messages: kept, records };
    }
  }
  return undefined;
}
