import { batchIndexDigits, sequencePrefix } from '@shardline/protocol';
import type { RecordPosition, StoredRecord } from '@shardline/protocol';
import { decodeMessage, joinParts } from '@shardline/messaging';
import type { DataKeyResolver, ShardAddress, ShardMessage, ShardStore, StoredMessage } from '@shardline/messaging';

/** What one read of a shard returns. */
export interface ShardRead {
  records: StoredRecord[];
  next: RecordPosition;
  /** True when the read reached the newest record of the shard. */
  atTip: boolean;
  /** Arrival time (ms) of the last message read, for MillisBehindLatest. */
  lastArrival?: number;
}

const MAX_BYTES = 10 * 1024 * 1024;
const WINDOW = 16;

/**
 * Reads records of one shard from a position, by JetStream sequence, in contiguous runs
 * (the store checks every sequence, so nothing is skipped silently); records trimmed by
 * retention are skipped as Kinesis skips them; no message at or after the position is the tip.
 */
export class ShardReader {
  /**
   * @param lastSequence the newest sequence of a shard when this process owns it (its
   * actor knows), so a poll at the tip is answered without asking JetStream.
   * @param keys data keys of encrypted batches (from their key headers).
   * @param recent the message a local actor appended at a sequence, while it is in its tail
   * cache: reads at the tip (polls, pushes) then skip the JetStream round trip.
   */
  constructor(
    private readonly store: ShardStore,
    private readonly lastSequence: (shard: ShardAddress) => number | undefined = () => undefined,
    private readonly keys?: DataKeyResolver,
    private readonly recent: (shard: ShardAddress, seq: number) => Uint8Array | undefined = () => undefined,
  ) {}

  /** @param maxBytes data budget of this read (SubscribeToShard keeps its events smaller than GetRecords' 10 MiB). */
  async read(shard: ShardAddress, from: RecordPosition, limit: number, maxBytes = MAX_BYTES): Promise<ShardRead> {
    const out: ShardRead = { records: [], next: { seq: Math.max(from.seq, 1), index: from.index }, atTip: false };
    let bytes = 0;
    let window = 1;
    /** JetStream messages of records decoded by this read (a large record's parts count each) and their records: the sizes the next window is reckoned from. */
    const seen = { messages: 0, records: 0 };
    while (out.records.length < limit && bytes < maxBytes) {
      const last = this.lastSequence(shard);
      if (last !== undefined && out.next.seq > last) return { ...out, atTip: true };
      const messages = this.cached(shard, out.next.seq, window, last) ?? (await this.store.getRange(shard, out.next.seq, window, window));
      if (messages.length === 0) return { ...out, atTip: true };
      // Records below the shard's oldest were trimmed by retention: Kinesis skips them too.
      if (messages[0].seq !== out.next.seq) out.next = { seq: messages[0].seq, index: 0 };
      let consumed = 0;
      for (let m = 0; m < messages.length && out.records.length < limit && bytes < maxBytes; m++) {
        const stored = await this.complete(shard, messages, m);
        if (stored === 'wait') return { ...out, atTip: true };
        if (stored.kind === 'records') {
          seen.messages += stored.span;
          seen.records += stored.records.length;
          const taken = this.take(out, stored, limit, maxBytes - bytes);
          bytes += taken.bytes;
          if (taken.full) return out;
          if (out.next.index >= stored.records.length) out.next = { seq: out.next.seq + stored.span, index: 0 };
        } else out.next = { seq: out.next.seq + stored.span, index: 0 };
        consumed = m + 1;
        if (stored.span > 1) break; // parts consumed messages beyond this window
      }
      if (consumed === messages.length && messages.length < window) return { ...out, atTip: out.records.length < limit && bytes < maxBytes };
      window = nextWindow(limit - out.records.length, maxBytes - bytes, seen, out.records.length > 0 ? bytes / out.records.length : 0);
    }
    return out;
  }

  /** The messages from `from` (at most `window`, up to `last`) when the local actor still has all of them. */
  private cached(shard: ShardAddress, from: number, window: number, last: number | undefined): ShardMessage[] | undefined {
    if (last === undefined) return undefined;
    const out: ShardMessage[] = [];
    for (let seq = from; seq <= last && out.length < window; seq++) {
      const payload = this.recent(shard, seq);
      if (!payload) return undefined;
      out.push({ seq, payload });
    }
    return out.length > 0 ? out : undefined;
  }

  /**
   * Appends records of one message from out.next.index; answers the bytes taken and whether
   * the call's data budget is spent (a record that would pass it waits for the next call,
   * unless it is the call's first: one record of up to 1 MiB always fits).
   */
  private take(
    out: ShardRead,
    stored: CompleteMessage & { kind: 'records' },
    limit: number,
    budget: number,
  ): { bytes: number; full: boolean } {
    const prefix = sequencePrefix(stored.shardIndex, out.next.seq);
    const arrival = new Date(stored.timestamp);
    const encrypted = stored.encrypted === true;
    let bytes = 0;
    let i = out.next.index;
    for (; i < stored.records.length && out.records.length < limit; i++) {
      const { partitionKey, data } = stored.records[i];
      if (out.records.length > 0 && bytes + data.length > budget) {
        out.next = { seq: out.next.seq, index: i };
        out.lastArrival = stored.timestamp;
        return { bytes, full: true };
      }
      const record: StoredRecord = { sequenceNumber: prefix + batchIndexDigits(i), partitionKey, data, arrivalTimestamp: arrival };
      if (encrypted) record.encrypted = true;
      out.records.push(record);
      bytes += data.length;
    }
    out.next = { seq: out.next.seq, index: i };
    out.lastArrival = stored.timestamp;
    return { bytes, full: false };
  }

  /**
   * The message at messages[m] as complete records: a large record's parts are joined
   * (fetching the parts past this window); orphaned parts of a failed write are skipped;
   * parts still being written mean the tip ('wait').
   */
  private async complete(shard: ShardAddress, messages: ShardMessage[], m: number): Promise<CompleteMessage | 'wait'> {
    const first = decodeMessage(messages[m].payload, this.keys);
    const shardIndex = shard.shardIndex;
    if (first.kind === 'records') return { ...first, span: 1, shardIndex };
    if (first.index !== 0) return { kind: 'skip', span: 1 };
    const rest = await this.store.getRange(shard, messages[m].seq + 1, first.count - 1);
    const parts = [first, ...rest.map((r) => decodeMessage(r.payload, this.keys))];
    const contiguous = parts.findIndex((p, i) => p.kind !== 'part' || p.index !== i || p.count !== first.count);
    if (contiguous === -1 && parts.length === first.count) {
      const joined = joinParts(
        parts.map((p) => (p as Extract<StoredMessage, { kind: 'part' }>).bytes),
        this.keys,
      );
      return { ...(joined as Extract<StoredMessage, { kind: 'records' }>), span: first.count, shardIndex };
    }
    if (contiguous === -1) return 'wait';
    return { kind: 'skip', span: contiguous };
  }
}

/**
 * How many messages the next fetch of a read asks for: as many as the records and bytes it
 * still wants would fill at the sizes seen so far (at most WINDOW). A message fetched past
 * the budget is read for nothing: with a fixed window, reads bound by bytes (a consumer
 * group's batch of ~6 messages of 500-record puts) fetched over twice what they used.
 */
function nextWindow(recordsLeft: number, bytesLeft: number, seen: { messages: number; records: number }, bytesPerRecord: number): number {
  if (seen.records === 0) return WINDOW;
  const records = bytesPerRecord > 0 ? Math.min(recordsLeft, bytesLeft / bytesPerRecord) : recordsLeft;
  return Math.min(WINDOW, Math.max(1, Math.ceil(records / (seen.records / seen.messages))));
}

type CompleteMessage =
  | (Extract<StoredMessage, { kind: 'records' }> & { span: number; shardIndex: number })
  | { kind: 'skip'; span: number };
