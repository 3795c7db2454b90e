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
}

export function batchId(source: string, fromSeq: number, toSeq: number): string {
  return `${source}:${fromSeq}-${toSeq}`;
}

/** Joins consecutive messages into one batch. */
export function toBatch(source: string, fromSeq: number, messages: readonly SourceMessage[]): DeliveryBatch {
  const toSeq = messages.length ? messages[messages.length - 1].seq : fromSeq - 1;
  const records = messages.flatMap((m) => m.records);
  return {
    id: batchId(source, fromSeq, toSeq),
    source,
    fromSeq,
    toSeq,
    records,
    bytes: messages.reduce((sum, m) => sum + m.bytes, 0),
    timestamp: records.length ? records[0].approximateArrivalTimestamp : 0,
  };
}
