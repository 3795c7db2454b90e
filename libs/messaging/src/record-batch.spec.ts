import golden from './fixtures/record-batch.json';
import { newDataKey, unwrapDataKey, type KeyHeader } from './record-crypto';
import {
  admitPrefix,
  decodeMessage,
  encodeRecordBatches,
  firstPartCount,
  joinParts,
  messageUsage,
  stampArrival,
  type DecodedRecord,
  type EncodedMessage,
  type RecordInput,
  type StoredMessage,
} from './record-batch';

const record = (partitionKey: string, data: Uint8Array | string): RecordInput => ({
  partitionKey,
  data: typeof data === 'string' ? Buffer.from(data) : data,
});

/** Records of `size` data bytes each, their index written into the data, so order is checkable. */
const numbered = (count: number, size: number) =>
  Array.from({ length: count }, (_, i) => record(`key-${i}`, Buffer.alloc(size, i % 256)));

const plain = (records: readonly (RecordInput | DecodedRecord)[]) =>
  records.map((r) => ({ partitionKey: r.partitionKey, data: Buffer.from(r.data).toString('hex') }));

function asRecords(message: StoredMessage): Extract<StoredMessage, { kind: 'records' }> {
  if (message.kind !== 'records') throw new Error(`expected a records message, got ${message.kind}`);
  return message;
}

function asPart(message: StoredMessage): Extract<StoredMessage, { kind: 'part' }> {
  if (message.kind !== 'part') throw new Error(`expected a part, got ${message.kind}`);
  return message;
}

/** Reads messages back as a reader would: records messages whole, parts joined. */
function readBack(messages: EncodedMessage[]): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  let parts: Buffer[] = [];
  for (const { payload } of messages) {
    const decoded = decodeMessage(payload);
    if (decoded.kind === 'records') {
      out.push(...decoded.records);
      continue;
    }
    parts.push(decoded.bytes);
    if (parts.length === decoded.count) {
      out.push(...asRecords(joinParts(parts)).records);
      parts = [];
    }
  }
  return out;
}

describe('record batches', () => {
  it('round-trips unicode partition keys, empty data and every byte value', () => {
    const records = [
      record('ünïcödé', 'hello'),
      record('日本語のキー', ''),
      record('🦀', Buffer.from(Array.from({ length: 256 }, (_, i) => i))),
      record('a', new Uint8Array([0, 0, 0])),
    ];
    const messages = encodeRecordBatches(records, 1024 * 1024);
    expect(messages).toHaveLength(1);
    expect(messages[0].records).toBe(4);
    const decoded = asRecords(decodeMessage(messages[0].payload));
    expect(decoded.timestamp).toBe(0);
    expect(plain(decoded.records)).toEqual(plain(records));
  });

  it('encodes nothing for no records', () => {
    expect(encodeRecordBatches([], 1000)).toEqual([]);
  });

  it('matches the golden bytes of a small batch, before and after stamping', () => {
    const records = golden.records.map((r) => record(r.partitionKey, Buffer.from(r.dataHex, 'hex')));
    const [message] = encodeRecordBatches(records, 1000);
    expect(message.payload.toString('hex')).toBe(golden.unstamped.join(''));
    stampArrival(message.payload, golden.stampedAt);
    expect(message.payload.toString('hex')).toBe(golden.stamped.join(''));
    expect(asRecords(decodeMessage(message.payload)).timestamp).toBe(golden.stampedAt);
  });

  it('packs records into several messages under the limit, in order, counting each message’s records', () => {
    const records = numbered(100, 90);
    const limit = 1000;
    const messages = encodeRecordBatches(records, limit);
    expect(messages.length).toBeGreaterThan(5);
    for (const m of messages) {
      expect(m.payload.length).toBeLessThanOrEqual(limit);
      expect(asRecords(decodeMessage(m.payload)).records).toHaveLength(m.records);
    }
    expect(messages.reduce((sum, m) => sum + m.records, 0)).toBe(records.length);
    expect(plain(readBack(messages))).toEqual(plain(records));
  });

  it('fills a message up to exactly the limit', () => {
    // header 14 + per record (2 + key + 4 + data): 14 + 2 × (2 + 1 + 4 + 493) = 1014
    const records = [record('a', Buffer.alloc(493)), record('b', Buffer.alloc(493))];
    expect(encodeRecordBatches(records, 1014).map((m) => m.records)).toEqual([2]);
    expect(encodeRecordBatches(records, 1013).map((m) => m.records)).toEqual([1, 1]);
  });

  it('splits a record larger than the limit into parts that joinParts reassembles', () => {
    const big = record('big-ü', Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 256)));
    const records = [record('before', 'x'), big, record('after', 'y')];
    const limit = 1000;
    const messages = encodeRecordBatches(records, limit);

    const parts = messages.slice(1, -1);
    expect(parts.length).toBe(Math.ceil((14 + 2 + 7 + 4 + 5000) / (limit - 6)));
    parts.forEach(({ payload, records: completes }, i) => {
      expect(payload.length).toBeLessThanOrEqual(limit);
      const part = asPart(decodeMessage(payload));
      expect({ index: part.index, count: part.count }).toEqual({ index: i, count: parts.length });
      expect(completes).toBe(i === parts.length - 1 ? 1 : 0);
    });
    const joined = asRecords(joinParts(parts.map((p) => asPart(decodeMessage(p.payload)).bytes)));
    expect(plain(joined.records)).toEqual(plain([big]));

    expect(messages.map((m) => m.records).reduce((a, b) => a + b)).toBe(3);
    expect(plain(readBack(messages))).toEqual(plain(records));
  });

  it('keeps order when large records sit between packed ones', () => {
    const records = [...numbered(10, 50), record('big-1', Buffer.alloc(3000, 1)), ...numbered(3, 50), record('big-2', Buffer.alloc(2500, 2))];
    const messages = encodeRecordBatches(records, 800);
    expect(messages.reduce((sum, m) => sum + m.records, 0)).toBe(records.length);
    expect(plain(readBack(messages))).toEqual(plain(records));
  });

  it('stamps the arrival time into a records message', () => {
    const [message] = encodeRecordBatches(numbered(3, 10), 1000);
    stampArrival(message.payload, 1_717_171_717_171.5);
    const decoded = asRecords(decodeMessage(message.payload));
    expect(decoded.timestamp).toBe(1_717_171_717_171.5);
    expect(plain(decoded.records)).toEqual(plain(numbered(3, 10)));
  });

  it('stamps the first part of a large record, so the joined record carries the time, and leaves other parts alone', () => {
    const parts = encodeRecordBatches([record('big', Buffer.alloc(3000, 9))], 1000);
    const later = parts.slice(1).map((p) => Buffer.from(p.payload));
    parts.forEach((p) => stampArrival(p.payload, 1_700_000_000_123));
    expect(parts.slice(1).map((p) => p.payload)).toEqual(later);
    const joined = asRecords(joinParts(parts.map((p) => asPart(decodeMessage(p.payload)).bytes)));
    expect(joined.timestamp).toBe(1_700_000_000_123);
    expect(plain(joined.records)).toEqual(plain([record('big', Buffer.alloc(3000, 9))]));
  });

  it('stamps and decodes a message that is a view into a larger buffer', () => {
    const [message] = encodeRecordBatches([record('k', 'v')], 1000);
    const backing = Buffer.concat([Buffer.alloc(7, 0xee), message.payload, Buffer.alloc(5, 0xee)]);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 7, message.payload.length);
    stampArrival(view, 42);
    expect(asRecords(decodeMessage(view)).timestamp).toBe(42);
    expect(backing.subarray(0, 7)).toEqual(Buffer.alloc(7, 0xee));
    expect(backing.subarray(7 + message.payload.length)).toEqual(Buffer.alloc(5, 0xee));
  });

  it('refuses a payload that is not a record batch', () => {
    expect(() => decodeMessage(Buffer.from('{"json":true}'))).toThrow('not a Shardline record batch');
  });
});

describe('sealed (encrypted) record batches', () => {
  const master = Buffer.alloc(32, 9);
  const dataKey = newDataKey('alias/test', master);
  const keys = (header: KeyHeader) => unwrapDataKey(header, master);

  it('round-trips records, large ones in parts included, and stores no plaintext', () => {
    const records = [record('secret-key', 'secret-data-1'), record('k2', Buffer.alloc(3000, 0x41)), record('k3', 'tail-data')];
    const messages = encodeRecordBatches(records, 1024, dataKey);
    expect(messages.some((m) => firstPartCount(m.payload) > 0)).toBe(true);
    const all = Buffer.concat(messages.map((m) => m.payload));
    for (const text of ['secret-key', 'secret-data-1', 'tail-data', 'AAAAAAAAAAAAAAAA']) expect(all.includes(text)).toBe(false);

    const out: DecodedRecord[] = [];
    let parts: Buffer[] = [];
    for (const { payload } of messages) {
      const decoded = decodeMessage(payload, keys);
      if (decoded.kind === 'records') {
        expect(decoded.encrypted).toBe(true);
        out.push(...decoded.records);
      } else {
        parts.push(decoded.bytes);
        if (parts.length === decoded.count) {
          const joined = asRecords(joinParts(parts, keys));
          expect(joined.encrypted).toBe(true);
          out.push(...joined.records);
          parts = [];
        }
      }
    }
    expect(plain(out)).toEqual(plain(records));
  });

  it('keeps the arrival stamp outside the seal, and fails on a tampered record', () => {
    const [message] = encodeRecordBatches([record('k', 'v')], 1024, dataKey);
    stampArrival(message.payload, 1234.5);
    expect(asRecords(decodeMessage(message.payload, keys)).timestamp).toBe(1234.5);
    message.payload[message.payload.length - 3] ^= 1;
    expect(() => decodeMessage(message.payload, keys)).toThrow();
    expect(() => decodeMessage(encodeRecordBatches([record('k', 'v')], 1024, dataKey)[0].payload)).toThrow('key resolver');
  });
});

describe('write-limit accounting', () => {
  const dataKey = newDataKey('alias/test', Buffer.alloc(32, 9));

  it.each([
    ['plain', undefined],
    ['sealed', dataKey],
  ])('sizes a %s message as its partition keys plus data, from the header alone', (_name, key) => {
    const records = [record('ab', 'xyz'), record('c', Buffer.alloc(100))];
    const [message] = encodeRecordBatches(records, 64 * 1024, key);
    stampArrival(message.payload, 77);
    expect(messageUsage(message.payload)).toEqual({ records: 2, bytes: 2 + 3 + 1 + 100, timestamp: 77 });
  });

  it.each([
    ['plain', undefined],
    ['sealed', dataKey],
  ])('sizes the parts of a large %s record so they add up to it, the stamp on the first', (_name, key) => {
    const messages = encodeRecordBatches([record('key', Buffer.alloc(5000, 1))], 1024, key);
    expect(firstPartCount(messages[0].payload)).toBe(messages.length);
    expect(firstPartCount(messages[1].payload)).toBe(0);
    stampArrival(messages[0].payload, 5);
    const usages = messages.map((m) => messageUsage(m.payload));
    expect(usages.reduce((sum, u) => sum + u.bytes, 0)).toBe(5003);
    expect(usages.map((u) => u.records)).toEqual([...Array(messages.length - 1).fill(0), 1]);
    expect(usages[0].timestamp).toBe(5);
    expect(usages[1].timestamp).toBeUndefined();
  });

  it.each([
    ['plain', undefined],
    ['sealed', dataKey],
  ])('cuts a %s message to the prefix that fits, which still decodes', (_name, key) => {
    const keys = (header: KeyHeader) => unwrapDataKey(header, Buffer.alloc(32, 9));
    const records = numbered(10, 10); // 'key-i' (5 bytes) + 10 bytes of data = 15 bytes each
    const whole = encodeRecordBatches(records, 64 * 1024, key)[0].payload;
    expect(admitPrefix(whole, 100, 1000)).toMatchObject({ records: 10, bytes: 150 });

    const byCount = admitPrefix(Buffer.from(whole), 4, 1000);
    expect(byCount).toMatchObject({ records: 4, bytes: 60 });
    expect(plain(asRecords(decodeMessage(byCount.payload, keys)).records)).toEqual(plain(records.slice(0, 4)));

    const byBytes = admitPrefix(Buffer.from(whole), 100, 50);
    expect(byBytes).toMatchObject({ records: 3, bytes: 45 });
    expect(messageUsage(byBytes.payload)).toMatchObject({ records: 3, bytes: 45 });

    expect(admitPrefix(Buffer.from(whole), 0, 1000)).toMatchObject({ records: 0, bytes: 0 });
  });
});
