import { notFound } from '@shardline/protocol';
import type { Stream, StreamRef } from '@shardline/protocol';
import type { StreamRepository } from '@shardline/metadata';
import { ShardRouter } from './shard-router';

interface Entry {
  stream: Stream;
  router: ShardRouter;
  loadedAt: number;
}

/** What the directory reads stream metadata from (StreamRepository). */
export type StreamLookup = Pick<StreamRepository, 'findById' | 'findByArn' | 'findByName'>;

/**
 * The data plane's view of stream metadata: a cache of each stream and its shard router,
 * dropped at once when a change notice arrives on NATS, so the hot path does not ask
 * Postgres on every request. Past `ttlMs` (a safety net for a lost notice) an entry is
 * still answered while one refresh runs behind it; concurrent misses share one query.
 */
export class StreamDirectory {
  private readonly byKey = new Map<string, Entry>();
  private readonly loading = new Map<string, { generation: number; promise: Promise<Entry> }>();
  /** Bumped by every invalidation, so a load that began before it does not cache what it read. */
  private generation = 0;

  constructor(
    private readonly repository: StreamLookup,
    private readonly accountId: string,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 2000,
  ) {}

  /** Forgets a stream (by id) or everything; called on change notices. */
  invalidate(streamId?: string): void {
    this.generation++;
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

  private lookup(ref: StreamRef & { id?: string }): Promise<Entry> {
    const key = ref.id ? `id:${ref.id}` : ref.arn ? `arn:${ref.arn}` : `name:${ref.name}`;
    const cached = this.byKey.get(key);
    if (!cached || cached.stream.status === 'CREATING') return this.load(key, ref);
    if (this.now() - cached.loadedAt >= this.ttlMs) void this.load(key, ref).catch(() => undefined);
    return Promise.resolve(cached);
  }

  /**
   * Reads the stream once for everyone asking meanwhile; a stream found gone leaves the cache.
   * A read begun before the last invalidation is not shared: it may predate the change that
   * invalidated (a mode switch whose notice asks for the stream right away).
   */
  private load(key: string, ref: StreamRef & { id?: string }): Promise<Entry> {
    const pending = this.loading.get(key);
    if (pending && pending.generation === this.generation) return pending.promise;
    const generation = this.generation;
    const loading = (async () => {
      const stream = ref.id
        ? await this.repository.findById(ref.id)
        : ref.arn
          ? await this.repository.findByArn(ref.arn)
          : await this.repository.findByName(ref.name ?? '');
      if (!stream) {
        this.byKey.delete(key);
        throw notFound(this.missing(ref));
      }
      const entry = { stream, router: new ShardRouter(stream), loadedAt: this.now() };
      if (generation === this.generation) this.byKey.set(key, entry);
      return entry;
    })().finally(() => {
      if (this.loading.get(key)?.promise === loading) this.loading.delete(key);
    });
    this.loading.set(key, { generation, promise: loading });
    return loading;
  }

  private missing(ref: StreamRef & { id?: string }): string {
    const name = ref.name ?? ref.arn ?? ref.id;
    return `Stream ${name} under account ${this.accountId} not found.`;
  }
}
