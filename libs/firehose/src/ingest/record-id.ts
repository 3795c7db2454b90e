/**
 * RecordIds of direct-put records. AWS's RecordId is an opaque string; Shardline's is the
 * record's position in the delivery stream's JetStream stream, fixed width so string order
 * is position order: 20 decimal digits of the message's JetStream sequence, then 7 of the
 * record's index inside that message's batch (`00000000000000000042` + `0000003`). The
 * delivery pipeline builds FirehoseRecord.recordId from a SourcePosition with the same function.
 */
const SEQ_DIGITS = 20;
const INDEX_DIGITS = 7;

export function encodeRecordId(seq: number, index: number): string {
  return String(seq).padStart(SEQ_DIGITS, '0') + String(index).padStart(INDEX_DIGITS, '0');
}

/** The position a RecordId names, or undefined when it is not one of Shardline's. */
export function decodeRecordId(recordId: string): { seq: number; index: number } | undefined {
  if (recordId.length !== SEQ_DIGITS + INDEX_DIGITS || !/^\d+$/.test(recordId)) return undefined;
  return { seq: Number(recordId.slice(0, SEQ_DIGITS)), index: Number(recordId.slice(SEQ_DIGITS)) };
}
