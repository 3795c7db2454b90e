import { randomUUID } from 'node:crypto';
import { connect, StorageType, type NatsConnection } from 'nats';
import type { DataSource } from 'typeorm';
import { DeliveryProgressRepository, openMetadata } from '@shardline/metadata';
import { deliveryRecordSubject, deliveryStreamStreamName, encodeRecordBatches } from '@shardline/messaging';
import { testDatabaseUrl } from '../../../../test/support/database';
import type { DeliveryBatch, DeliveryTarget } from './batch';
import { DeliveryRunner } from './delivery-runner';
import { DirectPutSource } from './direct-put-source';

/** A destination that keeps what it is given, and can be told to fail. */
class RecordingTarget implements DeliveryTarget {
  readonly batches: DeliveryBatch[] = [];
  failures = 0;
  async deliver(batch: DeliveryBatch): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('destination down');
    }
    this.batches.push(batch);
  }
  texts(): string[] {
    return this.batches.flatMap((b) => b.records.map((r) => r.data.toString()));
  }
}

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('DeliveryRunner over a direct-put JetStream stream', () => {
  let nc: NatsConnection;
  let dataSource: DataSource;
  let progress: DeliveryProgressRepository;
  const ids: string[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: process.env.NATS_URL ?? 'nats://127.0.0.1:4222' });
    dataSource = await openMetadata(testDatabaseUrl());
    progress = new DeliveryProgressRepository(dataSource);
  });

  afterAll(async () => {
    const jsm = await nc.jetstreamManager();
    await Promise.all(ids.map((id) => jsm.streams.delete(deliveryStreamStreamName(id)).catch(() => false)));
    await Promise.all(ids.map((id) => progress.remove(id)));
    await nc.close();
    await dataSource.destroy();
  });

  async function deliveryStream(): Promise<{ id: string; put: (texts: string[]) => Promise<void>; source: () => DirectPutSource }> {
    const id = randomUUID();
    ids.push(id);
    const jsm = await nc.jetstreamManager();
    await jsm.streams.add({ name: deliveryStreamStreamName(id), subjects: [deliveryRecordSubject(id)], storage: StorageType.File });
    const js = nc.jetstream();
    return {
      id,
      put: async (texts) => {
        for (const { payload } of encodeRecordBatches(texts.map((t) => ({ partitionKey: '', data: Buffer.from(t) })), 1 << 20)) {
          await js.publish(deliveryRecordSubject(id), payload);
        }
      },
      source: () => new DirectPutSource(js, jsm, id),
    };
  }

  it('flushes by size, in order, and releases delivered messages', async () => {
    const ds = await deliveryStream();
    const target = new RecordingTarget();
    const runner = new DeliveryRunner(ds.source(), progress, target, {
      deliveryStreamId: ds.id,
      hints: { sizeBytes: 100, intervalMs: 3_600_000 },
      clock: { now: Date.now },
    });
    await runner.start();
    const texts = Array.from({ length: 60 }, (_, i) => `record-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < texts.length; i += 6) await ds.put(texts.slice(i, i + 6));
    // 60 records of 10 bytes in messages of 60 bytes: every second message fills a 100-byte buffer.
    await until(() => target.texts().length === 60);
    await runner.stop();
    expect(target.texts()).toEqual(texts);
    expect(target.batches).toHaveLength(5);
    for (const batch of target.batches) expect(batch.bytes).toBe(120);
    expect(target.batches.map((b) => b.id)).toEqual([':1-2', ':3-4', ':5-6', ':7-8', ':9-10']);
    expect(await progress.get(ds.id, '')).toEqual({ committedSeq: 10 });
    const info = await (await nc.jetstreamManager()).streams.info(deliveryStreamStreamName(ds.id));
    expect(info.state.messages).toBe(0);
  });

  it('flushes by interval on the injected clock', async () => {
    const ds = await deliveryStream();
    const target = new RecordingTarget();
    let now = 1_000_000;
    const runner = new DeliveryRunner(ds.source(), progress, target, {
      deliveryStreamId: ds.id,
      hints: { sizeBytes: 5 << 20, intervalMs: 300_000 },
      clock: { now: () => now },
      tickMs: 10,
    });
    await runner.start();
    await ds.put(['a', 'b']);
    await new Promise((r) => setTimeout(r, 300));
    expect(target.batches).toHaveLength(0);
    now += 299_999;
    await new Promise((r) => setTimeout(r, 100));
    expect(target.batches).toHaveLength(0);
    now += 1;
    await until(() => target.batches.length === 1);
    await runner.stop();
    expect(target.texts()).toEqual(['a', 'b']);
  });

  it('retries a failing destination and redoes the same batch after a crash', async () => {
    const ds = await deliveryStream();
    await ds.put(['one', 'two']);
    await ds.put(['three']);
    // A previous owner wrote messages 1..2 down as its batch and died before committing.
    await progress.begin(ds.id, '', 1, 2);
    const target = new RecordingTarget();
    target.failures = 2;
    const runner = new DeliveryRunner(ds.source(), progress, target, {
      deliveryStreamId: ds.id,
      hints: { sizeBytes: 1 << 20, intervalMs: 0 },
      clock: { now: Date.now },
      tickMs: 10,
      retryDelayMs: () => 10,
    });
    await runner.start();
    await ds.put(['four']);
    await until(() => target.texts().length === 4);
    await runner.stop();
    expect(target.batches[0].id).toBe(':1-2');
    expect(target.batches[0].records.map((r) => r.recordId)).toEqual(['1.0', '1.1', '2.0']);
    expect(target.texts()).toEqual(['one', 'two', 'three', 'four']);
    expect((await progress.get(ds.id, '')).committedSeq).toBe(3);
  });
});
