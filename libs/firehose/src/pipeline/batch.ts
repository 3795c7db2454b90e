/**
 * What the pipeline hands a destination: the records of consecutive source messages,
 * `fromSeq`..`toSeq` of one source. Its id and timestamp derive from those messages only,
 * so the same messages redelivered after a crash form the same batch, with the same names.
 */
import type { FirehoseRecord } from '../model';

export interface DeliveryBatch {
  /** `<source>:<fromSeq>-<toSeq>`, stable across redelivery. */
  id: string;
  /** '' for direct put, else the source shard id. */
  source: string;
  fromSeq: number;
  toSeq: number;
  records: FirehoseRecord[];
  /** Bytes of record data. */
  bytes: number;
  /** Arrival time of the batch's first record (epoch ms): object names and timestamp prefixes use it. */
  timestamp: number;
  /** W3C traceparents of the producers' traces, one per distinct trace, capped (the delivery span links to them). */
  traces: string[];
}

/** Where batches go: resolves once all of the batch (and its error output) is durable at the destination. */
export interface DeliveryTarget {
  deliver(batch: DeliveryBatch): Promise<void>;
}

/** One source message, decoded. */
export interface SourceMessage {
  /** Sequence of the message (of its last part, for a record stored in parts). */
  seq: number;
  records: FirehoseRecord[];
  bytes: number;
  /** The producer's W3C traceparent, stored in the message's headers (absent for untraced producers). */
  trace?: string;
  /** Messages still to read after this one when it was delivered (0: the reader is at the tip). */
  pending?: number;
}

/** Links a delivery span keeps at most (the batch's first producers'). */
export const MAX_BATCH_TRACES = 128;

export function batchId(source: string, fromSeq: number, toSeq: number): string {
  return `${source}:${fromSeq}-${toSeq}`;
}

/** Joins consecutive messages into one batch. */
export function toBatch(source: string, fromSeq: number, messages: readonly SourceMessage[]): DeliveryBatch {
  const toSeq = messages.length ? messages[messages.length - 1].seq : fromSeq - 1;
  const records = messages.flatMap((m) => m.records);
  // One traceparent per trace (its id is characters 3..35), the first ones up to the cap.
  const traces = new Map<string, string>();
  for (const m of messages) if (m.trace && traces.size < MAX_BATCH_TRACES && !traces.has(m.trace.slice(3, 35))) traces.set(m.trace.slice(3, 35), m.trace);
  return {
    id: batchId(source, fromSeq, toSeq),
    source,
    fromSeq,
    toSeq,
    records,
    bytes: messages.reduce((sum, m) => sum + m.bytes, 0),
    timestamp: records.length ? records[0].approximateArrivalTimestamp : 0,
    traces: [...traces.values()],
  };
}
