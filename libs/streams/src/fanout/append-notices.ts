import { randomUUID } from 'node:crypto';
import type { NatsConnection, Subscription } from 'nats';
import { shardAppendedSubject } from '@shardline/messaging';
import type { ShardAddress } from '@shardline/messaging';

/**
 * What a watcher of a shard hears: the shard's last JetStream sequence after an append, or
 * `undefined` when the stream's metadata changed (a shard may have closed).
 */
export type AppendListener = (lastSeq: number | undefined) => void;

const key = (shard: ShardAddress) => `${shard.streamId}/${shard.shardIndex}`;

/**
 * Pushes "this shard has new records" to enhanced fan-out subscriptions, so none polls.
 * A local actor's append reaches watchers in this process synchronously, and every other
 * process through a core NATS subject per shard (subscribed only while someone here
 * watches the shard). A process ignores its own NATS notices: it already heard them.
 */
export class AppendNotices {
  private readonly id = randomUUID().slice(0, 8);
  private readonly watchers = new Map<string, { listeners: Set<AppendListener>; subscription: Subscription }>();

  constructor(private readonly nc: NatsConnection) {}

  /** Called by a shard actor of this process after each append round. */
  publish(shard: ShardAddress, lastSeq: number): void {
    this.emit(key(shard), lastSeq);
    try {
      this.nc.publish(shardAppendedSubject(shard.streamId, shard.shardIndex), `${this.id} ${lastSeq}`);
    } catch {
      // Closing or draining connection: the append itself succeeded, and no one remote can listen now.
    }
  }

  /** Wakes every watcher of a stream's shards: its metadata changed (e.g. a shard closed). */
  metadataChanged(streamId: string | undefined): void {
    for (const [shardKey, watcher] of this.watchers) {
      if (streamId === undefined || shardKey.startsWith(`${streamId}/`)) watcher.listeners.forEach((listener) => listener(undefined));
    }
  }

  /** Listens to a shard's appends until the returned function is called. */
  watch(shard: ShardAddress, listener: AppendListener): () => void {
    const shardKey = key(shard);
    let watcher = this.watchers.get(shardKey);
    if (!watcher) {
      const subscription = this.nc.subscribe(shardAppendedSubject(shard.streamId, shard.shardIndex), {
        callback: (_err, msg) => this.onRemote(shardKey, msg.string()),
      });
      watcher = { listeners: new Set(), subscription };
      this.watchers.set(shardKey, watcher);
    }
    watcher.listeners.add(listener);
    return () => {
      const current = this.watchers.get(shardKey);
      if (!current?.listeners.delete(listener) || current.listeners.size > 0) return;
      current.subscription.unsubscribe();
      this.watchers.delete(shardKey);
    };
  }

  private onRemote(shardKey: string, body: string): void {
    const space = body.indexOf(' ');
    if (body.slice(0, space) === this.id) return;
    const lastSeq = Number(body.slice(space + 1));
    if (Number.isSafeInteger(lastSeq)) this.emit(shardKey, lastSeq);
  }

  private emit(shardKey: string, lastSeq: number | undefined): void {
    this.watchers.get(shardKey)?.listeners.forEach((listener) => listener(lastSeq));
  }
}
