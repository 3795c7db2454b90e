/**
 * The put path's cache of delivery streams by name, so PutRecord / PutRecordBatch pay no
 * Postgres query. An entry is dropped on a DELIVERY_STREAM_CHANGED_SUBJECT notice for its
 * id; past its TTL (a safety net for a lost notice) it is loaded again. Only ACTIVE
 * delivery streams are kept: one still CREATING is read again until it turns ACTIVE.
 * Concurrent misses share one query.
 */
import type { DeliveryStream } from '@shardline/protocol';

export const DIRECTORY_TTL_MS = 2000;

interface Entry {
  stream: DeliveryStream;
  loadedAt: number;
}

export class DeliveryStreamDirectory {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<DeliveryStream | undefined>>();

  constructor(
    private readonly load: (name: string) => Promise<DeliveryStream | undefined>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = DIRECTORY_TTL_MS,
  ) {}

  async get(name: string): Promise<DeliveryStream | undefined> {
    const entry = this.entries.get(name);
    if (entry && this.now() - entry.loadedAt < this.ttlMs) return entry.stream;
    let pending = this.loading.get(name);
    if (!pending) {
      pending = this.fetch(name);
      this.loading.set(name, pending);
    }
    return pending;
  }

  /** Drops the delivery stream with this id (every entry when no id is given). */
  invalidate(id?: string): void {
    if (id === undefined) {
      this.entries.clear();
      return;
    }
    for (const [name, entry] of this.entries) if (entry.stream.id === id) this.entries.delete(name);
  }

  private async fetch(name: string): Promise<DeliveryStream | undefined> {
    const loadedAt = this.now();
    try {
      const stream = await this.load(name);
      if (stream?.status === 'ACTIVE') this.entries.set(name, { stream, loadedAt });
      else this.entries.delete(name);
      return stream;
    } finally {
      this.loading.delete(name);
    }
  }
}
