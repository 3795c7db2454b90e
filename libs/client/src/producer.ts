import { connect, headers, type ConnectionOptions, type NatsConnection } from 'nats';
import { PutRecordError, ShardlineApiError } from './errors';
import { unwrap } from './nats-api';
import type { PutAck, PutBatchResult } from './types';

export interface ProducerOptions {
  /** First subject token: `shardline` unless the server sets SHARDLINE_NATS_API_PREFIX. */
  prefix?: string;
  /** Records per request (at most PutRecords' 500). */
  maxBatchRecords?: number;
  /** Bytes per request, header included (default: the server's max_payload less 1 KiB, at most 5 MiB). */
  maxBatchBytes?: number;
  /** How long a record waits for company before its batch goes out (ms). */
  lingerMs?: number;
  /** Requests in flight at once, all streams together. */
  maxInFlight?: number;
  /** Attempts per record before put() rejects. */
  maxAttempts?: number;
  /** First retry delay (ms); doubles per attempt up to 2 s. */
  backoffMs?: number;
  requestTimeoutMs?: number;
  /**
   * Keep each partition key's records in put() order (default true): a key is then in at
   * most one request at a time. With false, requests never wait for one another, and records
   * of a key in different requests (or retried) may be stored out of order.
   */
  preserveKeyOrder?: boolean;
}

/** A record's data: bytes, or a string sent as its UTF-8. */
export type RecordData = Uint8Array | string;

export interface ProducerRecord {
  key: string;
  data: RecordData;
  /** Decimal hash key overriding the MD5 of the partition key. */
  explicitHashKey?: string;
}

interface Pending {
  key: string;
  data: Uint8Array;
  hashKey?: string;
  attempts: number;
  lastError?: { code: string; message: string };
  resolve(ack: PutAck): void;
  reject(err: unknown): void;
}

interface StreamQueue {
  name: string;
  queue: Pending[];
  /** Index of the queue's first record: taken records before it are dropped lazily. */
  head: number;
  /** Linger over (or flushing): send even a partial batch. */
  due: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

const MAX_RECORDS = 500;
const PUT_RECORDS_BYTES = 5 * 1024 * 1024;
/** How far into a queue a batch looks past records whose key is busy. */
const SCAN_LIMIT = 10_000;
/** How many batches' worth of records a take counts keys over. */
const KEY_SCAN_RECORDS = 4;
const RETRIABLE = new Set(['ProvisionedThroughputExceededException', 'InternalFailure']);

/**
 * Puts records over NATS in batches: per stream, records wait up to `lingerMs` (or until a
 * batch is full) and go out as one raw `Shardline-Batch` request, several requests in
 * flight. Records that fail with a retriable per-record error are retried with backoff.
 *
 * Ordering (preserveKeyOrder, the default): records of one partition key are stored in the
 * order put() was called. A key is in at most one request at a time (later records of a
 * busy key wait; other keys go ahead), and a retried record goes back to the front of its
 * queue before any later record of its key. Inside one request the server stores a shard's
 * records in order and refuses (throttles) only a suffix of them, so no record overtakes an
 * earlier one of its key. A request that times out is retried whole: delivery is at least
 * once (a timed-out request may have been stored, and is then stored twice).
 */
export class ShardlineProducer {
  /** Requests sent and records retried so far. */
  readonly stats = { requests: 0, records: 0, retries: 0 };
  private readonly streams = new Map<string, StreamQueue>();
  /** Records per key that are in a request or waiting to be retried. */
  private readonly busy = new Map<string, number>();
  private readonly options: Required<ProducerOptions>;
  private inFlight = 0;
  private outstanding = 0;
  private idle: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly nc: NatsConnection,
    options: ProducerOptions = {},
    private readonly ownsConnection = false,
  ) {
    const payload = (nc.info?.max_payload ?? 1024 * 1024) - 1024;
    this.options = {
      prefix: 'shardline',
      maxBatchRecords: MAX_RECORDS,
      maxBatchBytes: Math.min(payload, PUT_RECORDS_BYTES),
      lingerMs: 5,
      maxInFlight: 8,
      maxAttempts: 10,
      backoffMs: 50,
      requestTimeoutMs: 30_000,
      preserveKeyOrder: true,
      ...options,
    };
    this.options.maxBatchRecords = Math.min(this.options.maxBatchRecords, MAX_RECORDS);
  }

  /** A producer on a connection of its own (closed by close()). */
  static async connect(connection: ConnectionOptions = {}, options: ProducerOptions = {}): Promise<ShardlineProducer> {
    const nc = await connect({ servers: 'nats://127.0.0.1:4222', ...connection });
    return new ShardlineProducer(nc, options, true);
  }

  /** Resolves once the record is stored, with where. */
  put(stream: string, key: string, data: RecordData, explicitHashKey?: string): Promise<PutAck> {
    if (this.closed) return Promise.reject(new Error('The producer is closed'));
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (bytes.length + Buffer.byteLength(key) + 64 > this.options.maxBatchBytes) {
      return Promise.reject(new Error(`A record of ${bytes.length} bytes does not fit in a request of ${this.options.maxBatchBytes} bytes`));
    }
    this.outstanding += 1;
    return new Promise<PutAck>((resolve, reject) => {
      const settle = <T>(f: (v: T) => void) => (v: T) => {
        this.outstanding -= 1;
        f(v);
        if (this.outstanding === 0) this.idle.splice(0).forEach((wake) => wake());
      };
      const pending: Pending = { key, data: bytes, attempts: 0, resolve: settle(resolve), reject: settle(reject) };
      if (explicitHashKey !== undefined) pending.hashKey = explicitHashKey;
      this.enqueue(stream, pending);
    });
  }

  putMany(stream: string, records: ProducerRecord[]): Promise<PutAck[]> {
    return Promise.all(records.map((r) => this.put(stream, r.key, r.data, r.explicitHashKey)));
  }

  /** Sends everything queued now, and resolves when no put() is outstanding. */
  async flush(): Promise<void> {
    for (const stream of this.streams.values()) stream.due = stream.queue.length > stream.head;
    this.pump();
    if (this.outstanding > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Flushes, refuses further puts, and closes the connection if the producer opened it. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.ownsConnection) await this.nc.drain();
  }

  private enqueue(name: string, pending: Pending): void {
    let stream = this.streams.get(name);
    if (!stream) this.streams.set(name, (stream = { name, queue: [], head: 0, due: false }));
    stream.queue.push(pending);
    // Once per batch's worth of records, not per record: a take scans the queue, and while
    // every queued key is busy it finds nothing (completions and the linger pump anyway).
    if ((stream.queue.length - stream.head) % this.options.maxBatchRecords === 0) this.pump();
    else if (!stream.timer && !stream.due) {
      stream.timer = setTimeout(() => {
        stream.timer = undefined;
        stream.due = true;
        this.pump();
      }, this.options.lingerMs);
    }
  }

  /** Sends batches while requests may be added: full ones, and partial ones whose linger is over. */
  private pump(): void {
    let sent = true;
    while (sent && this.inFlight < this.options.maxInFlight) {
      sent = false;
      for (const stream of this.streams.values()) {
        if (this.inFlight >= this.options.maxInFlight) return;
        if (!stream.due && stream.queue.length - stream.head < this.options.maxBatchRecords) continue;
        const batch = this.take(stream);
        if (stream.queue.length === stream.head) this.settleQueue(stream);
        if (batch.length === 0) continue;
        this.send(stream.name, batch);
        sent = true;
      }
    }
  }

  private settleQueue(stream: StreamQueue): void {
    stream.due = false;
    clearTimeout(stream.timer);
    stream.timer = undefined;
    if (stream.queue.length === stream.head) this.streams.delete(stream.name);
  }

  /**
   * The next batch of a queue: records in queue order, of keys no other request holds.
   * Keeping key order, a batch takes whole runs of few keys (the oldest record's key first)
   * rather than a few records of every key, so that several requests with disjoint keys
   * can be in flight even when a handful of keys carry all the traffic.
   */
  private take(stream: StreamQueue): Pending[] {
    const { maxBatchRecords, maxBatchBytes, preserveKeyOrder } = this.options;
    const { queue, head } = stream;
    const end = Math.min(queue.length, head + SCAN_LIMIT);
    const allowed = preserveKeyOrder ? this.keysFor(queue, head, end, maxBatchRecords) : undefined;
    const batch: Pending[] = [];
    const taken = new Set<number>();
    let bytes = 0;
    for (let i = head; i < end && batch.length < maxBatchRecords; i++) {
      const record = queue[i];
      if (allowed) {
        const left = allowed.get(record.key);
        if (!left) continue;
        allowed.set(record.key, left - 1);
      }
      const size = record.data.length + Buffer.byteLength(record.key) + (record.hashKey?.length ?? 0) + 16;
      if (bytes + size > maxBatchBytes) break;
      bytes += size;
      batch.push(record);
      taken.add(i);
    }
    for (const record of batch) this.busy.set(record.key, (this.busy.get(record.key) ?? 0) + 1);
    if (isPrefix(taken, head)) {
      // The common case: the batch is the queue's front. Moving the head is O(1); the array is
      // compacted only once most of it is consumed (slicing per batch made long queues quadratic).
      stream.head += batch.length;
      if (stream.head > 4096 && stream.head * 2 > queue.length) {
        stream.queue = queue.slice(stream.head);
        stream.head = 0;
      }
    } else {
      stream.queue = queue.filter((_, i) => i >= head && !taken.has(i));
      stream.head = 0;
    }
    return batch;
  }

  /**
   * Keys not busy, oldest first, with how many of their records fit: up to `budget` records
   * in all. Counting stops once `budget` keys are found or a few batches' worth of records are
   * counted, so a take costs O(batch), not O(queue).
   */
  private keysFor(queue: Pending[], from: number, end: number, budget: number): Map<string, number> {
    const counts = new Map<string, number>();
    const stop = Math.min(end, from + KEY_SCAN_RECORDS * budget);
    for (let i = from; i < stop && counts.size < budget; i++) {
      const key = queue[i].key;
      if (!this.busy.has(key)) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const allowed = new Map<string, number>();
    for (const [key, count] of counts) {
      if (budget <= 0) break;
      allowed.set(key, Math.min(count, budget));
      budget -= count;
    }
    return allowed;
  }

  private send(stream: string, batch: Pending[]): void {
    const h = headers();
    h.set('Shardline-Batch', JSON.stringify(batch.map((r) => (r.hashKey !== undefined ? [r.key, r.data.length, r.hashKey] : [r.key, r.data.length]))));
    const payload = Buffer.concat(batch.map((r) => r.data));
    this.inFlight += 1;
    this.stats.requests += 1;
    this.stats.records += batch.length;
    for (const record of batch) record.attempts += 1;
    this.nc
      .request(`${this.options.prefix}.put.${stream}`, payload, { timeout: this.options.requestTimeoutMs, headers: h })
      .then(
        (reply) => this.answered(stream, batch, () => unwrap<PutBatchResult>(reply.data)),
        (err: unknown) => this.failed(stream, batch, requestError(err)),
      )
      .finally(() => {
        this.inFlight -= 1;
        this.pump();
      });
  }

  private answered(stream: string, batch: Pending[], result: () => PutBatchResult): void {
    let records: PutBatchResult['records'];
    try {
      records = result().records;
    } catch (err) {
      return this.failed(stream, batch, requestError(err));
    }
    const retry: Pending[] = [];
    batch.forEach((record, i) => {
      const answer = records[i];
      if (answer && 'shardId' in answer) {
        this.release(record);
        record.resolve({ shardId: answer.shardId, sequenceNumber: answer.sequenceNumber });
      } else {
        record.lastError = answer ? { code: answer.errorCode, message: answer.errorMessage } : { code: 'InternalFailure', message: 'No answer for this record' };
        retry.push(record);
      }
    });
    this.retry(stream, retry);
  }

  /** A whole request failed: retried if the failure is transient, else every record rejects. */
  private failed(stream: string, batch: Pending[], error: { code: string; message: string; retriable: boolean; cause: unknown }): void {
    for (const record of batch) record.lastError = error;
    if (error.retriable) return this.retry(stream, batch);
    for (const record of batch) {
      this.release(record);
      record.reject(error.cause);
    }
  }

  /** Retriable records wait (their keys stay busy), then go back to the front of their queue. */
  private retry(stream: string, records: Pending[]): void {
    const again = records.filter((r) => RETRIABLE.has(r.lastError!.code) && r.attempts < this.options.maxAttempts && !this.closed);
    for (const record of records) {
      if (again.includes(record)) continue;
      this.release(record);
      record.reject(new PutRecordError(record.lastError!.code, record.lastError!.message, record.attempts));
    }
    if (again.length === 0) return;
    this.stats.retries += again.length;
    const attempts = Math.max(...again.map((r) => r.attempts));
    const delay = Math.min(2000, this.options.backoffMs * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
    setTimeout(() => {
      again.forEach((record) => this.release(record));
      let queue = this.streams.get(stream);
      if (!queue) this.streams.set(stream, (queue = { name: stream, queue: [], head: 0, due: false }));
      queue.queue = [...again, ...queue.queue.slice(queue.head)];
      queue.head = 0;
      queue.due = true;
      this.pump();
    }, delay);
  }

  private release(record: Pending): void {
    const count = (this.busy.get(record.key) ?? 1) - 1;
    if (count === 0) this.busy.delete(record.key);
    else this.busy.set(record.key, count);
  }
}

function isPrefix(indexes: Set<number>, head: number): boolean {
  let i = head;
  for (const index of indexes) if (index !== i++) return false;
  return true;
}

/** A failed request as a retry decision: throttling, server trouble and timeouts are transient. */
function requestError(err: unknown): { code: string; message: string; retriable: boolean; cause: unknown } {
  if (err instanceof ShardlineApiError) {
    const code = err.kind === 'throughput-exceeded' ? 'ProvisionedThroughputExceededException' : 'InternalFailure';
    return { code, message: err.problem.detail, retriable: err.retriable, cause: err };
  }
  const code = (err as { code?: string }).code;
  // nats.js: TIMEOUT, and 503 when no gateway listens (yet) on the subject.
  const retriable = code === 'TIMEOUT' || code === '503';
  return { code: 'InternalFailure', message: err instanceof Error ? err.message : String(err), retriable, cause: err };
}
