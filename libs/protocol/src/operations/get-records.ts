/**
 * GetRecords
 *   request:  { ShardIterator (1-512), Limit? (1-10000, default 10000), StreamARN? }
 *   response: { Records: [{ SequenceNumber, ApproximateArrivalTimestamp, Data, PartitionKey, EncryptionType? }],
 *               NextShardIterator?, MillisBehindLatest, ChildShards? }
 * NextShardIterator is absent once a closed shard has been read to its end; ChildShards then
 * names the shards to continue with. EncryptionType is KMS on records stored encrypted and
 * absent on the others.
 */
import type { StoredRecord } from '../domain';
import { getRecordsTable, MAX_GET_RECORDS_LIMIT, type GetRecordsInput } from '../validation/get-records';
import { defineOperation } from './operation';
import { epochSeconds, toWireChildShard, type WireChildShard } from './wire';

/**
 * One record as GetRecords answers it. Data stays bytes until the answer is written (base64
 * in JSON, a byte string in CBOR): 10,000 base64 strings alive at once, one per record of a
 * full answer, made every young-generation collection copy them.
 */
export interface WireRecord {
  SequenceNumber: string;
  ApproximateArrivalTimestamp: number;
  Data: Buffer;
  PartitionKey: string;
  EncryptionType?: 'KMS';
}

export interface GetRecordsOutput {
  Records: WireRecord[];
  NextShardIterator?: string;
  MillisBehindLatest: number;
  ChildShards?: WireChildShard[];
}

function toWireRecord(record: StoredRecord): WireRecord {
  const wire: WireRecord = {
    SequenceNumber: record.sequenceNumber,
    ApproximateArrivalTimestamp: epochSeconds(record.arrivalTimestamp),
    Data: record.data,
    PartitionKey: record.partitionKey,
  };
  if (record.encrypted) wire.EncryptionType = 'KMS';
  return wire;
}

export const getRecords = defineOperation({
  name: 'GetRecords',
  validation: getRecordsTable,
  async execute(backend, input: GetRecordsInput): Promise<GetRecordsOutput> {
    const result = await backend.getRecords(input.ShardIterator, input.Limit ?? MAX_GET_RECORDS_LIMIT);
    const output: GetRecordsOutput = {
      Records: result.records.map(toWireRecord),
      MillisBehindLatest: result.millisBehindLatest,
    };
    if (result.nextShardIterator !== null) output.NextShardIterator = result.nextShardIterator;
    if (result.childShards !== undefined) output.ChildShards = result.childShards.map(toWireChildShard);
    return output;
  },
  serialize: serializeGetRecords,
});

/**
 * The JSON answer, written straight into one Buffer. JSON.stringify would scan every
 * character of the ~14 MB of base64 in a full answer for characters to escape, and there are
 * none, so the known-safe parts (sequence numbers are digits, Data is base64) are written
 * directly; partition keys and everything else still go through JSON.stringify. Writing into
 * a Buffer of the computed size, each record's base64 made just before it is copied in,
 * rather than concatenating one string and encoding it at the end, saves flattening and
 * UTF-8-encoding a 14 MB rope (~28 % of the server's CPU on the read path in a cpu profile of
 * `npm run bench`'s get phase). The bytes equal JSON.stringify's of the answer with each Data
 * in base64, UTF-8 encoded.
 */
export function serializeGetRecords(output: GetRecordsOutput): Buffer {
  const { Records } = output;
  const heads = new Array<string>(Records.length);
  const tails = new Array<string>(Records.length);
  let size = OPEN.length;
  for (let i = 0; i < Records.length; i++) {
    const r = Records[i];
    heads[i] = `${i > 0 ? ',' : ''}{"SequenceNumber":"${r.SequenceNumber}","ApproximateArrivalTimestamp":${JSON.stringify(r.ApproximateArrivalTimestamp)},"Data":"`;
    tails[i] = `","PartitionKey":${JSON.stringify(r.PartitionKey)}${r.EncryptionType === undefined ? '}' : `,"EncryptionType":"${r.EncryptionType}"}`}`;
    size += heads[i].length + base64Length(r.Data.length) + Buffer.byteLength(tails[i]);
  }
  let end = `],"MillisBehindLatest":${JSON.stringify(output.MillisBehindLatest)}`;
  if (output.NextShardIterator !== undefined) end += `,"NextShardIterator":${JSON.stringify(output.NextShardIterator)}`;
  if (output.ChildShards !== undefined) end += `,"ChildShards":${JSON.stringify(output.ChildShards)}`;
  end += '}';
  const body = Buffer.allocUnsafe(size + Buffer.byteLength(end));
  // Heads and base64 are ASCII (latin1 writes them byte for byte, the cheapest encoding); the rest may not be.
  let at = body.write(OPEN, 0, 'latin1');
  for (let i = 0; i < Records.length; i++) {
    at += body.write(heads[i], at, 'latin1');
    at += body.write(Records[i].Data.toString('base64'), at, 'latin1');
    at += body.write(tails[i], at, 'utf8');
  }
  body.write(end, at, 'utf8');
  return body;
}

const OPEN = '{"Records":[';

/** Characters of padded base64 for `bytes` bytes. */
function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}
