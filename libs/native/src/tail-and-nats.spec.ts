import { encodeSequenceNumber } from '@shardline/protocol';
import type { KinesisBackend, PutRecordEntry, RecordPosition, Shard, StoredRecord, Stream } from '@shardline/protocol';
import type { ShardAddress } from '@shardline/messaging';
import { ReadCursorCodec, tailPositions } from './cursors';
import { handleApi, handlePut } from './nats-messages';
import type { NativeServices } from './operation';
import { nativeOperations } from './operations';
import { ValidationProblem } from './problems';
import { StreamTail, type TailEvent } from './tail';

/** Single-record batches: record n of a shard is message n. */
const sequenceNumber = (shardIndex: number, seq: number) => encodeSequenceNumber(shardIndex, { seq, index: 0 });

function shard(index: number, status: 'OPEN' | 'CLOSED' = 'OPEN', parent?: number): Shard {
  const id = (n: number) => `shardId-${String(n).padStart(12, '0')}`;
  return {
    shardId: id(index),
    index,
    status,
    hashKeyStart: 0n,
    hashKeyEnd: 1n,
    startingSequenceNumber: '0',
    ...(parent === undefined ? {} : { parentShardId: id(parent) }),
  };
}

/** An in-memory platform: shards hold records by sequence; watchers are called on append. */
class FakePlatform {
  stream: Stream = {
    id: 'sid',
    name: 's',
    arn: 'arn',
    status: 'ACTIVE',
    mode: 'PROVISIONED',
    retentionHours: 24,
    createdAt: new Date(0),
    encryptionType: 'NONE',
    shards: [shard(0)],
    consumerCount: 0,
    enhancedMonitoring: [],
  };
  readonly records = new Map<number, StoredRecord[]>();
  readonly puts: PutRecordEntry[][] = [];
  private readonly watchers = new Set<() => void>();

  append(shardIndex: number, data: string): void {
    const list = this.records.get(shardIndex) ?? [];
    const seq = list.length + 1;
    list.push({ sequenceNumber: sequenceNumber(shardIndex, seq), partitionKey: 'k', data: Buffer.from(data), arrivalTimestamp: new Date(0) });
    this.records.set(shardIndex, list);
    this.watchers.forEach((w) => w());
  }

  services(): NativeServices {
    const backend = {
      putRecords: async (_ref: unknown, entries: PutRecordEntry[]) => {
        this.puts.push(entries);
        return { records: entries.map((_e, i) => ({ shardId: 'shardId-000000000000', sequenceNumber: String(i) })), encryptionType: 'NONE' as const };
      },
      describeStream: async () => this.stream,
      listTags: async () => [],
    } as unknown as KinesisBackend;
    return {
      backend,
      activeStream: async () => this.stream,
      streamById: async () => this.stream,
      read: async (address: ShardAddress, from: RecordPosition, limit: number) => {
        const list = (this.records.get(address.shardIndex) ?? []).slice(Math.max(from.seq, 1) - 1 + (from.index > 0 ? 1 : 0));
        const records = list.slice(0, limit);
        const nextSeq = Math.max(from.seq, 1) + (from.index > 0 ? 1 : 0) + records.length;
        return { records, next: { seq: nextSeq, index: 0 }, atTip: records.length === list.length };
      },
      startPosition: async (_stream, s, request) =>
        request.type === 'LATEST' ? { seq: (this.records.get(s.index)?.length ?? 0) + 1, index: 0 } : { seq: 0, index: 0 },
      watch: (_address, listener) => {
        this.watchers.add(listener);
        return () => this.watchers.delete(listener);
      },
      cursors: new ReadCursorCodec('secret'),
      groups: { list: async () => [], describe: () => Promise.reject(new Error('no groups here')), delete: async () => undefined, checkpoint: async () => undefined },
      members: undefined as unknown as NativeServices['members'], // no member routes in these specs
      now: () => 0,
    };
  }
}

async function take(events: AsyncGenerator<TailEvent>, count: number): Promise<TailEvent[]> {
  const out: TailEvent[] = [];
  while (out.length < count) out.push((await events.next()).value as TailEvent);
  return out;
}

describe('StreamTail', () => {
  it('sends heartbeats while idle and records as they are appended', async () => {
    const fake = new FakePlatform();
    fake.append(0, 'old');
    const tail = await StreamTail.open(fake.services(), { name: 's', query: {}, heartbeatMs: 10 });
    const events = tail.events();
    expect((await take(events, 2)).map((e) => e.kind)).toEqual(['open', 'heartbeat']);
    const next = events.next();
    fake.append(0, 'new');
    const record = (await next).value as TailEvent & { kind: 'record' };
    expect(record.record.data).toBeUndefined();
    expect(record.record.dataBase64).toBe(Buffer.from('new').toString('base64'));
    expect(tailPositions.decode(record.id).get(0)).toEqual({ seq: 2, index: 1 });
    tail.close();
    expect((await events.next()).done).toBe(true);
  });

  it('resumes from Last-Event-ID and follows the children of a closed shard', async () => {
    const fake = new FakePlatform();
    fake.append(0, '1');
    fake.append(0, '2');
    const tail = await StreamTail.open(fake.services(), { name: 's', query: {}, lastEventId: '0:1:1', heartbeatMs: 1000 });
    const events = tail.events();
    await take(events, 1); // open
    const [second] = await take(events, 1);
    expect(second.kind === 'record' && Buffer.from(second.record.dataBase64, 'base64').toString()).toBe('2');
    fake.stream = { ...fake.stream, shards: [shard(0, 'CLOSED'), shard(1, 'OPEN', 0)] };
    fake.append(1, 'child');
    const [child] = await take(events, 1);
    expect(child.kind === 'record' && child.record.shardId).toBe('shardId-000000000001');
    expect(child.kind === 'record' && [...tailPositions.decode(child.id).keys()]).toEqual([1]);
    tail.close();
  });
});

describe('NATS messages', () => {
  it('put raw bytes with the partition key header, and JSON envelopes one or many', async () => {
    const fake = new FakePlatform();
    const services = fake.services();
    const bytes = new Uint8Array([0, 1, 2]);
    const headers: Record<string, string> = { 'Shardline-Partition-Key': 'k', 'Shardline-Explicit-Hash-Key': '5' };
    expect(await handlePut(services, 's', { data: bytes, header: (n) => headers[n] })).toEqual({ shardId: 'shardId-000000000000', sequenceNumber: '0' });
    expect(fake.puts[0]).toEqual([{ partitionKey: 'k', data: Buffer.from(bytes), explicitHashKey: 5n }]);
    const many = Buffer.from(JSON.stringify([{ partitionKey: 'a', data: 1 }, { partitionKey: 'b', data: 2 }]));
    expect(await handlePut(services, 's', { data: many, header: () => undefined })).toEqual(expect.objectContaining({ failedRecordCount: 0 }));
    expect(fake.puts[1].map((e) => e.data.toString())).toEqual(['1', '2']);
    await expect(handlePut(services, 's', { data: Buffer.from('[]'), header: () => undefined })).rejects.toThrow('records');
  });

  it('put a raw batch: the Shardline-Batch header cuts the payload into records', async () => {
    const fake = new FakePlatform();
    const services = fake.services();
    const batch = (header: string, payload: string) => handlePut(services, 's', { data: Buffer.from(payload), header: (n) => (n === 'Shardline-Batch' ? header : undefined) });
    expect(await batch('[["a",3],["b",0],["c",2,"9"]]', 'onetw')).toEqual(expect.objectContaining({ failedRecordCount: 0 }));
    expect(fake.puts[0]).toEqual([
      { partitionKey: 'a', data: Buffer.from('one') },
      { partitionKey: 'b', data: Buffer.alloc(0) },
      { partitionKey: 'c', data: Buffer.from('tw'), explicitHashKey: 9n },
    ]);
    await expect(batch('[["a",3]]', 'four')).rejects.toThrow('lengths add up to 3 bytes, the payload has 4');
    await expect(batch('[["",3]]', 'one')).rejects.toThrow(ValidationProblem);
    await expect(batch('[]', '')).rejects.toThrow(ValidationProblem);
    await expect(batch('nope', '')).rejects.toThrow('Shardline-Batch header is not JSON');
    expect(fake.puts).toHaveLength(1);
  });

  it('run control operations by name with one JSON object', async () => {
    const fake = new FakePlatform();
    const described = await handleApi(fake.services(), nativeOperations, 'describeStream', Buffer.from('{"name":"s"}'));
    expect(described).toEqual(expect.objectContaining({ name: 's', shards: [expect.objectContaining({ shardId: 'shardId-000000000000' })] }));
    await expect(handleApi(fake.services(), nativeOperations, 'nope', Buffer.alloc(0))).rejects.toThrow('No operation nope');
  });
});
