import { connectNats, encodeRecordBatches, ShardStore, type RecordInput, type ShardAddress } from '@shardline/messaging';
import type { NatsConnection } from 'nats';
import { randomName } from './random-name';

/**
 * A NATS connection and ShardStore for integration specs. Every shard it names is removed
 * from JetStream by close(), so specs clean up what they create.
 */
export class ShardStoreFixture {
  private readonly created: ShardAddress[] = [];

  private constructor(
    readonly nc: NatsConnection,
    readonly store: ShardStore,
  ) {}

  static async open(): Promise<ShardStoreFixture> {
    const nc = await connectNats(process.env.NATS_URL, 'shard-store-fixture');
    return new ShardStoreFixture(nc, await ShardStore.open(nc));
  }

  /** A shard address no other test uses (stream ids are dashless, as real ones are). */
  shard(shardIndex = 0): ShardAddress {
    const address = { streamId: randomName('sl').replace(/-/g, ''), shardIndex };
    this.created.push(address);
    return address;
  }

  /** A new shard, created in JetStream. */
  async ensured(shardIndex = 0, retentionHours = 24): Promise<ShardAddress> {
    const address = this.shard(shardIndex);
    await this.store.ensure(address, retentionHours);
    return address;
  }

  async close(): Promise<void> {
    await Promise.all(this.created.map((s) => this.store.remove(s)));
    await this.nc.drain();
  }
}

/** Records `key-<from>`… with data `data-<i>`, so a read-back can be checked against them. */
export function sampleRecords(count: number, from = 0): RecordInput[] {
  return Array.from({ length: count }, (_, i) => ({ partitionKey: `key-${from + i}`, data: Buffer.from(`data-${from + i}`) }));
}

/** Writes records through an actor as the producer does (packed under `limit`); answers each message's sequence. */
export async function appendRecords(
  actor: { append(messages: Buffer[]): Promise<{ seqs: number[] }> },
  records: readonly RecordInput[],
  limit = 64 * 1024,
): Promise<number[]> {
  return (await actor.append(encodeRecordBatches(records, limit).map((m) => m.payload))).seqs;
}
