/** The load shapes the bench phases share, and their summaries. */
import { PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';

/** Epoch milliseconds with sub-millisecond precision (the records' data in the latency phases). */
export const nowMs = () => performance.timeOrigin + performance.now();

export function quantiles(values: number[]): { p50: number; p99: number } {
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

/** Latencies at the moment records are seen: from their put (their data) and from their append (the actor's arrival stamp). */
export interface SeenLatencies {
  fromSend: number[];
  fromAppend: number[];
}

/**
 * Adds the latencies of records just seen by a consumer: from the put (each record's data is
 * the epoch-ms time pacedPuts sent it) and from the append (ApproximateArrivalTimestamp, which
 * the shard actor stamps; same machine, same clock, whole ms, so that one reads up to 1 ms high).
 */
export function recordSeen(records: ReadonlyArray<{ Data?: Uint8Array; ApproximateArrivalTimestamp?: Date }>, into: SeenLatencies): void {
  const now = nowMs();
  for (const record of records) {
    into.fromSend.push(now - Number(Buffer.from(record.Data!).toString()));
    into.fromAppend.push(now - record.ApproximateArrivalTimestamp!.getTime());
  }
}

/** `records` records of `size` bytes in PutRecords of 500, 4 requests in flight. */
export async function putAll(kinesis: KinesisClient, StreamName: string, records: number, size: number): Promise<{ rate: number; failed: number }> {
  const data = Buffer.alloc(size, 7);
  const batches = records / 500;
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < batches) {
      const b = next++;
      const Records = Array.from({ length: 500 }, (_, i) => ({ PartitionKey: `pk-${b}-${i}`, Data: data }));
      failed += (await kinesis.send(new PutRecordsCommand({ StreamName, Records }))).FailedRecordCount ?? 0;
    }
  };
  const start = performance.now();
  await Promise.all([worker(), worker(), worker(), worker()]);
  return { rate: records / ((performance.now() - start) / 1000), failed };
}

/**
 * The latency phases' producer: a PutRecords of 10 records every 5 ms (2,000 records/s) for
 * `ms`, each record's data the epoch-ms time its put was sent. Answers each put's own
 * latency (request to answer), once every put has been answered.
 */
export async function pacedPuts(kinesis: KinesisClient, StreamName: string, ms: number): Promise<number[]> {
  const acks: number[] = [];
  const answered: Array<Promise<unknown>> = [];
  const start = performance.now();
  for (let tick = 1; performance.now() - start < ms; tick++) {
    const sentAt = nowMs();
    const Records = Array.from({ length: 10 }, (_, i) => ({ PartitionKey: `k${tick}-${i}`, Data: Buffer.from(String(sentAt)) }));
    answered.push(kinesis.send(new PutRecordsCommand({ StreamName, Records })).then(() => acks.push(nowMs() - sentAt), () => undefined));
    const wait = start + tick * 5 - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await Promise.all(answered);
  return acks;
}
