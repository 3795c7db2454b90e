import { decodeSequenceNumber, invalidArgument } from '@shardline/protocol';
import type { RecordPosition, Shard, Stream } from '@shardline/protocol';
import { tailPositions } from './cursors';
import type { NativeServices } from './operation';
import { parse } from './operation';
import { type Problem } from './problems';
import { shardOf, startRequest } from './record-operations';
import { tailQuery, type RecordView } from './schemas';
import { recordView } from './views';

/** What a tail yields: `open` once its start is fixed, then records, and heartbeats while idle. */
export type TailEvent = { kind: 'open'; id: string } | { kind: 'record'; id: string; record: RecordView } | { kind: 'heartbeat' };

export interface TailRequest {
  name: string;
  query: unknown;
  /** The Last-Event-ID header of a reconnecting client: it overrides `from`. */
  lastEventId?: string;
  heartbeatMs?: number;
}

const READ_BATCH = 500;
const HEARTBEAT_MS = 15_000;
/** Highest index inside one record batch (the last 7 digits of a sequence number). */
const MAX_BATCH_INDEX = 9_999_999;

/** Where a tail continues after a record: just past it (AFTER_SEQUENCE_NUMBER). */
function after(sequenceNumber: string): RecordPosition {
  const { position } = decodeSequenceNumber(sequenceNumber);
  return position.index >= MAX_BATCH_INDEX ? { seq: position.seq + 1, index: 0 } : { seq: position.seq, index: position.index + 1 };
}

/**
 * Follows a stream's shards (or one shard) as records are appended: reads each shard from
 * its position, then sleeps until an append notice (pushed by the shard actor) or a
 * metadata change wakes it. A closed shard read to its end is replaced by its children, so
 * the tail follows resharding. Each record's event id holds the next position of every
 * followed shard, so a reconnect with Last-Event-ID resumes exactly.
 */
export class StreamTail {
  private readonly watches = new Map<number, () => void>();
  private readonly seen = new Set<number>();
  private dirty = false;
  private closed = false;
  private wake?: () => void;

  private constructor(
    private readonly services: NativeServices,
    private stream: Stream,
    private readonly positions: Map<number, RecordPosition>,
    private readonly heartbeatMs: number,
  ) {
    for (const index of positions.keys()) this.follow(index);
  }

  /** Resolves the start (validation and missing streams throw here, before any event is sent). */
  static async open(services: NativeServices, request: TailRequest): Promise<StreamTail> {
    const query = parse(tailQuery, request.query, 'query');
    const stream = await services.activeStream(request.name);
    const positions = request.lastEventId
      ? resumed(stream, request.lastEventId)
      : await started(services, stream, query.shard, query.from ?? 'LATEST');
    return new StreamTail(services, stream, positions, request.heartbeatMs ?? HEARTBEAT_MS);
  }

  close(): void {
    this.closed = true;
    this.watches.forEach((unwatch) => unwatch());
    this.watches.clear();
    this.wake?.();
  }

  async *events(): AsyncGenerator<TailEvent> {
    yield { kind: 'open', id: tailPositions.encode(this.sorted()) };
    while (!this.closed) {
      this.dirty = false;
      let progressed = false;
      for (const [index, position] of this.positions) {
        const read = await this.services.read({ streamId: this.stream.id, shardIndex: index }, position, READ_BATCH);
        const shardId = this.shardId(index);
        for (const record of read.records) {
          if (this.closed) return;
          this.positions.set(index, after(record.sequenceNumber));
          yield { kind: 'record', id: tailPositions.encode(this.sorted()), record: recordView(shardId, record) };
        }
        this.positions.set(index, read.next);
        progressed ||= read.records.length > 0 || (read.atTip && (await this.endIfClosed(index)));
      }
      if (progressed || this.dirty || this.closed) continue;
      if (!(await this.sleep()) && !this.closed) yield { kind: 'heartbeat' };
    }
  }

  /** A closed shard read to its end gives way to its children (from their start); answers whether it did. */
  private async endIfClosed(index: number): Promise<boolean> {
    const stream = await this.services.streamById(this.stream.id);
    const shard = stream.shards.find((s) => s.index === index);
    if (shard?.status !== 'CLOSED') return false;
    this.positions.delete(index);
    this.watches.get(index)?.();
    this.watches.delete(index);
    for (const child of childrenOf(stream, shard)) {
      if (this.seen.has(child.index)) continue;
      this.positions.set(child.index, { seq: 0, index: 0 });
      this.follow(child.index);
    }
    this.stream = stream;
    return true;
  }

  private follow(index: number): void {
    this.seen.add(index);
    this.watches.set(
      index,
      this.services.watch({ streamId: this.stream.id, shardIndex: index }, () => {
        this.dirty = true;
        this.wake?.();
      }),
    );
  }

  /** Waits for a notice (true) or the heartbeat interval (false). */
  private sleep(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(false), this.heartbeatMs);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(woken);
      };
      this.wake = () => done(true);
    });
  }

  private shardId(index: number): string {
    return this.stream.shards.find((s) => s.index === index)?.shardId ?? `shardId-${String(index).padStart(12, '0')}`;
  }

  private sorted(): Map<number, RecordPosition> {
    return new Map([...this.positions].sort(([a], [b]) => a - b));
  }
}

function childrenOf(stream: Stream, shard: Shard): Shard[] {
  return stream.shards.filter((s) => s.parentShardId === shard.shardId || s.adjacentParentShardId === shard.shardId);
}

function resumed(stream: Stream, lastEventId: string): Map<number, RecordPosition> {
  const positions = tailPositions.decode(lastEventId);
  for (const index of positions.keys()) {
    if (!stream.shards.some((s) => s.index === index)) throw invalidArgument('Last-Event-ID names a shard the stream does not have.');
  }
  return positions;
}

/** Start positions: one shard, or every open shard (every shard, closed ones too, from TRIM_HORIZON or a time). */
async function started(services: NativeServices, stream: Stream, shardId: string | undefined, from: string) {
  const request = startRequest(from);
  const bySequence = request.type === 'AT_SEQUENCE_NUMBER' || request.type === 'AFTER_SEQUENCE_NUMBER';
  if (bySequence && shardId === undefined) throw invalidArgument('A tail from a sequence number needs ?shard= (sequence numbers belong to one shard).');
  const historic = request.type === 'TRIM_HORIZON' || request.type === 'AT_TIMESTAMP';
  const shards = shardId !== undefined ? [shardOf(stream, shardId)] : stream.shards.filter((s) => historic || s.status === 'OPEN');
  const positions = new Map<number, RecordPosition>();
  for (const shard of shards) positions.set(shard.index, await services.startPosition(stream, shard, request));
  return positions;
}

/** One event as Server-Sent Events text. Records are default `message` events (EventSource's onmessage). */
export function sseFrame(event: TailEvent): string {
  switch (event.kind) {
    case 'open':
      return `retry: 1000\nid: ${event.id}\n: connected\n\n`;
    case 'record':
      return `id: ${event.id}\ndata: ${JSON.stringify(event.record)}\n\n`;
    case 'heartbeat':
      return ': heartbeat\n\n';
  }
}

/** The last event of a tail that failed after it started (e.g. its stream was deleted). */
export function sseProblem(problem: Problem): string {
  return `event: problem\ndata: ${JSON.stringify(problem)}\n\n`;
}
