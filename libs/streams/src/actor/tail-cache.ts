/** Bounds of a shard actor's tail cache. */
export interface TailCacheLimits {
  /** Bytes of payload kept (the newest messages first). */
  maxBytes: number;
  /** Entries older than this are not served (they may have left JetStream by retention meanwhile). */
  maxAgeMs: number;
}

export const DEFAULT_TAIL_CACHE: TailCacheLimits = { maxBytes: 1024 * 1024, maxAgeMs: 60_000 };

interface Entry {
  seq: number;
  payload: Uint8Array;
  at: number;
}

/**
 * The newest messages a shard actor appended, by JetStream sequence: exactly what it
 * published and JetStream acknowledged at that sequence. Readers at the tip (GetRecords
 * polls, SubscribeToShard pushes) take them from memory instead of asking JetStream again.
 * It holds a contiguous run ending at the actor's last sequence; `clear()` when unsure.
 */
export class TailCache {
  private entries: Entry[] = [];
  private bytes = 0;

  constructor(private readonly limits: TailCacheLimits = DEFAULT_TAIL_CACHE) {}

  /** Adds the next message (its sequence follows the newest kept, or the cache restarts). */
  add(seq: number, payload: Uint8Array, at: number): void {
    if (payload.length > this.limits.maxBytes) return this.clear();
    const newest = this.entries[this.entries.length - 1];
    if (newest && newest.seq + 1 !== seq) this.clear();
    // A copy: a remote append's messages are views into NATS' read buffers, which it may reuse.
    this.entries.push({ seq, payload: Uint8Array.prototype.slice.call(payload), at });
    this.bytes += payload.length;
    let drop = 0;
    while (this.bytes > this.limits.maxBytes) this.bytes -= this.entries[drop++]!.payload.length;
    if (drop > 0) this.entries = this.entries.slice(drop);
  }

  /** The message stored at `seq`, when it is among the newest and young enough. */
  get(seq: number, now: number): Uint8Array | undefined {
    const first = this.entries[0];
    if (!first || seq < first.seq) return undefined;
    const entry = this.entries[seq - first.seq];
    return entry && now - entry.at <= this.limits.maxAgeMs ? entry.payload : undefined;
  }

  clear(): void {
    this.entries = [];
    this.bytes = 0;
  }
}
