import { notFound } from '@shardline/protocol';
import type { Stream, StreamRef } from '@shardline/protocol';
import type { StreamRepository } from '@shardline/metadata';
import { ShardRouter } from './shard-router';

interface Entry {
  stream: Stream;
  router: ShardRouter;
  loadedAt: number;
}

/**
 * The data plane's view of stream metadata: a short-lived cache of each stream and its
 * shard router, dropped at once when a change notice arrives on NATS, so the hot path
 * does not ask Postgres on every request.
 */
export class StreamDirectory {
  private readonly byKey = new Map<string, Entry>();

  constructor(
    private readonly repository: StreamRepository,
    private readonly accountId: string,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 2000,
  ) {}

  /** Forgets a stream (by id) or everything; called on change notices. */
  invalidate(streamId?: string): void {
    if (streamId === undefined) return this.byKey.clear();
    for (const [key, entry] of this.byKey) if (entry.stream.id === streamId) this.byKey.delete(key);
  }

  /** The stream and router of a stream that takes reads and writes (ACTIVE or UPDATING). */
  async active(ref: StreamRef): Promise<Entry> {
    const entry = await this.lookup(ref);
    if (entry.stream.status === 'ACTIVE' || entry.stream.status === 'UPDATING') return entry;
    throw notFound(this.missing(ref));
  }

  async byId(streamId: string): Promise<Stream> {
    return (await this.lookup({ id: streamId })).stream;
  }

  private async lookup(ref: StreamRef & { id?: string }): Promise<Entry> {
    const key = ref.id ? `id:${ref.id}` : ref.arn ? `arn:${ref.arn}` : `name:${ref.name}`;
    const cached = this.byKey.get(key);
    const now = this.now();
    if (cached && now - cached.loadedAt < this.ttlMs && cached.stream.status !== 'CREATING') return cached;
    const stream = ref.id
      ? await this.repository.findById(ref.id)
      : ref.arn
        ? await this.repository.findByArn(ref.arn)
        : await this.repository.findByName(ref.name ?? '');
    if (!stream) throw notFound(this.missing(ref));
    const entry = { stream, router: new ShardRouter(stream), loadedAt: now };
    this.byKey.set(key, entry);
    return entry;
  }

  private missing(ref: StreamRef & { id?: string }): string {
    const name = ref.name ?? ref.arn ?? ref.id;
    return `Stream ${name} under account ${this.accountId} not found.`;
  }
}
