/**
 * A sample of an input's stored records, from TRIM_HORIZON (schema discovery for a preview
 * without columns): an even share from each shard of a stream, oldest shards first, or the
 * first messages of a DirectPut delivery stream. Sealed records are opened as the readers do.
 */
import type { NatsConnection } from 'nats';
import { DirectPutSource, StreamShardSource } from '@shardline/firehose';
import { deliveryStreamStreamName, shardStreamName, type DataKeyResolver } from '@shardline/messaging';
import type { ResolvedInput } from './input-source';

interface Readable {
  streamName: string;
  readRange(fromSeq: number, toSeq: number): Promise<Array<{ records: Array<{ data: Buffer | Uint8Array }> }>>;
}

export async function sampleInput(nc: NatsConnection, input: ResolvedInput, size: number, keys?: DataKeyResolver): Promise<Buffer[]> {
  const js = nc.jetstream();
  const jsm = await nc.jetstreamManager();
  const readers: Readable[] =
    input.kind === 'directPut'
      ? [{ streamName: deliveryStreamStreamName(input.deliveryStream.id), readRange: (a, b) => new DirectPutSource(js, jsm, input.deliveryStream.id, keys).readRange(a, b) }]
      : [...input.stream.shards]
          .sort((a, b) => a.index - b.index)
          .map((shard) => ({
            streamName: shardStreamName(input.stream.id, shard.index),
            readRange: (a: number, b: number) => new StreamShardSource(js, shard.shardId, input.stream.id, shard.index, async () => true, keys).readRange(a, b),
          }));
  const records: Buffer[] = [];
  for (const [n, reader] of readers.entries()) {
    const share = Math.ceil((size - records.length) / (readers.length - n));
    if (share <= 0) break;
    const state = (await jsm.streams.info(reader.streamName).catch(() => undefined))?.state;
    if (!state || state.messages === 0) continue;
    // A message holds one record or more: `share` messages are enough for `share` records.
    const messages = await reader.readRange(state.first_seq, Math.min(state.last_seq, state.first_seq + share - 1)).catch(() => []);
    const read = messages.flatMap((m) => m.records.map((r) => Buffer.from(r.data)));
    records.push(...read.slice(0, share));
  }
  return records;
}
