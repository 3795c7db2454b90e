import { connect, StorageType, type NatsConnection } from 'nats';

/** Raw JetStream rates on this machine, the yardstick for Shardline's own figures. */
export interface RawRates {
  publishPerRecord: number;
  publishBatched: number;
  readPerRecord: number;
}

const STREAM = 'SL_BENCH_RAW';

async function fresh(nc: NatsConnection): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(STREAM).catch(() => undefined);
  await jsm.streams.add({ name: STREAM, subjects: ['sl.bench.raw'], storage: StorageType.File });
}

/** js.publish per record, `inFlight` pipelined: what a naive design gets. */
async function publishEach(nc: NatsConnection, count: number, size: number, inFlight = 256): Promise<number> {
  await fresh(nc);
  const js = nc.jetstream();
  const payload = new Uint8Array(size);
  const start = performance.now();
  for (let sent = 0; sent < count; sent += inFlight) {
    await Promise.all(Array.from({ length: Math.min(inFlight, count - sent) }, () => js.publish('sl.bench.raw', payload)));
  }
  return count / ((performance.now() - start) / 1000);
}

/** One message per `perMessage` records (a record batch), 4 in flight. */
async function publishBatched(nc: NatsConnection, count: number, size: number, perMessage = 125): Promise<number> {
  await fresh(nc);
  const js = nc.jetstream();
  const payload = new Uint8Array(size * perMessage);
  const start = performance.now();
  for (let sent = 0; sent < count; sent += perMessage * 4) {
    await Promise.all(Array.from({ length: 4 }, () => js.publish('sl.bench.raw', payload)));
  }
  return count / ((performance.now() - start) / 1000);
}

/** Reads the per-record stream back with an ordered consumer. */
async function readAll(nc: NatsConnection, count: number): Promise<number> {
  const js = nc.jetstream();
  const consumer = await js.consumers.get(STREAM);
  const start = performance.now();
  const messages = await consumer.consume({ max_messages: 1000 });
  let seen = 0;
  for await (const _ of messages) {
    if (++seen >= count) break;
  }
  return count / ((performance.now() - start) / 1000);
}

export async function measureRawJetStream(url: string, count: number, size: number): Promise<RawRates> {
  const nc = await connect({ servers: url });
  try {
    const publishPerRecord = await publishEach(nc, count, size);
    const readPerRecord = await readAll(nc, count);
    const batched = await publishBatched(nc, count, size);
    return { publishPerRecord, publishBatched: batched, readPerRecord };
  } finally {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(STREAM).catch(() => undefined);
    await nc.close();
  }
}
