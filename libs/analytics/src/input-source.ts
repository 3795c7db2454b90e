/**
 * What an application's input is read from. A Shardline stream is read shard by shard. A
 * delivery stream is read where its records are: a KinesisStreamAsSource delivery stream's
 * records are its source stream's (read that stream: the same records, in the same shards); a
 * DirectPut delivery stream's records are in its own JetStream stream (`SL_FH_<id>`), which its
 * pipeline purges once delivered — so an application reading it holds its checkpointed position
 * there (DeliveryReaderRepository), and the purge stops at the lowest hold.
 */
import type { DeliveryStream, Stream } from '@shardline/protocol';
import { kinesisStreamNameOf } from '@shardline/protocol';
import type { AnalyticsInput } from './model';

export type ResolvedInput = { kind: 'stream'; stream: Stream } | { kind: 'directPut'; deliveryStream: DeliveryStream };

/** The checkpoint's position key of a direct-put input (a stream's are its shard ids). */
export const DIRECT_PUT_POSITION = 'directPut';

/** Finds streams and delivery streams by name (undefined when missing). */
export interface InputLookups {
  stream(name: string): Promise<Stream | undefined>;
  deliveryStream(name: string): Promise<DeliveryStream | undefined>;
}

/** The reader id of an application's holds on direct-put delivery streams. */
export const readerOf = (applicationId: string) => `analytics:${applicationId}`;

/** The input's name as an error message says it. */
export function inputLabel(input: Pick<AnalyticsInput, 'streamName' | 'deliveryStreamName'>): string {
  return input.deliveryStreamName !== undefined ? `delivery stream ${input.deliveryStreamName}` : `stream ${input.streamName ?? ''}`;
}

/** Where the input's records are; undefined when the stream or delivery stream (or its source stream) does not exist. */
export async function resolveInput(input: Pick<AnalyticsInput, 'streamName' | 'deliveryStreamName'>, lookups: InputLookups): Promise<ResolvedInput | undefined> {
  if (input.deliveryStreamName === undefined) {
    const stream = input.streamName === undefined ? undefined : await lookups.stream(input.streamName);
    return stream && { kind: 'stream', stream };
  }
  const deliveryStream = await lookups.deliveryStream(input.deliveryStreamName);
  if (!deliveryStream || deliveryStream.status === 'DELETING') return undefined;
  if (deliveryStream.type === 'DirectPut') return { kind: 'directPut', deliveryStream };
  const name = deliveryStream.source && kinesisStreamNameOf(deliveryStream.source.kinesisStreamArn)?.name;
  const stream = name === undefined ? undefined : await lookups.stream(name);
  return stream && { kind: 'stream', stream };
}

/** A short fingerprint of what the input is read from: a change (a reshard) restarts the runner. */
export function inputShape(resolved: ResolvedInput | undefined): string {
  if (!resolved) return 'missing';
  if (resolved.kind === 'directPut') return `directPut:${resolved.deliveryStream.id}`;
  return resolved.stream.shards.map((s) => `${s.shardId}/${s.status}`).join(',');
}
