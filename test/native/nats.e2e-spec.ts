import { connect, headers, type NatsConnection } from 'nats';
import { GetRecordsCommand, GetShardIteratorCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { kinesisClient, startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import { waitStatus, type Json } from '../support/rest';

describe('native NATS API', () => {
  let sl: TestPlatform;
  let nc: NatsConnection;
  let kinesis: KinesisClient;
  /** This platform's subjects: shardline.api / shardline.put under its own prefix (see test/support/platform.ts). */
  let api: string;
  let put: string;

  beforeAll(async () => {
    sl = await startTestPlatform();
    nc = await connect({ servers: sl.config.natsUrl });
    kinesis = kinesisClient(sl.endpoint, 'h2c');
    api = `${sl.config.natsApiPrefix}.api`;
    put = `${sl.config.natsApiPrefix}.put`;
  });
  afterAll(async () => {
    kinesis.destroy();
    await nc.close();
    await sl.close();
  });

  async function request(subject: string, payload: unknown, hdrs?: ReturnType<typeof headers>): Promise<Json> {
    const data = payload instanceof Uint8Array ? payload : Buffer.from(JSON.stringify(payload));
    const reply = await nc.request(subject, data, { timeout: 5000, ...(hdrs ? { headers: hdrs } : {}) });
    return JSON.parse(reply.string());
  }

  async function createActive(name: string): Promise<void> {
    const created = await request(`${api}.createStream`, { name, shardCount: 1 });
    expect(created).toEqual(expect.objectContaining({ name, status: expect.stringMatching(/^(CREATING|ACTIVE)$/) }));
    await waitStatus(sl.endpoint, name, 'ACTIVE');
  }

  async function readAll(name: string): Promise<Array<{ key: string; data: string }>> {
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' }),
    );
    const { Records = [] } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
    return Records.map((r) => ({ key: r.PartitionKey!, data: Buffer.from(r.Data!).toString() }));
  }

  it('puts from a plain NATS client (header, envelope, array, batch and raw batch) readable through the Kinesis API', async () => {
    const name = `${randomName('nats')}.dotted`; // dots in a name become subject tokens
    await createActive(name);
    const h = headers();
    h.set('Shardline-Partition-Key', 'raw-key');
    const raw = await request(`${put}.${name}`, Buffer.from('raw bytes'), h);
    expect(raw).toEqual({ shardId: 'shardId-000000000000', sequenceNumber: expect.stringMatching(/^\d+$/) });
    const envelope = await request(`${put}.${name}`, { partitionKey: 'json-key', data: { n: 1 } });
    expect(envelope.sequenceNumber).toEqual(expect.any(String));
    const array = await request(`${put}.${name}`, [
      { partitionKey: 'a1', data: 'x' },
      { partitionKey: 'a2', dataBase64: Buffer.from('y').toString('base64') },
    ]);
    expect(array).toEqual(expect.objectContaining({ failedRecordCount: 0, records: [expect.anything(), expect.anything()] }));
    const batch = await request(`${put}.${name}`, { records: [{ partitionKey: 'b1', data: 7 }] });
    expect(batch.failedRecordCount).toBe(0);
    const rawBatch = headers();
    rawBatch.set('Shardline-Batch', JSON.stringify([['r1', 2], ['r2', 3]]));
    const binary = await request(`${put}.${name}`, Buffer.from('hiyou'), rawBatch);
    expect(binary.failedRecordCount).toBe(0);
    nc.publish(`${put}.${name}`, Buffer.from(JSON.stringify({ partitionKey: 'fire', data: 'and forget' })));
    await nc.flush();

    const deadline = Date.now() + 5000;
    let records = await readAll(name);
    while (records.length < 8 && Date.now() < deadline) records = await readAll(name);
    expect(records).toEqual([
      { key: 'raw-key', data: 'raw bytes' },
      { key: 'json-key', data: '{"n":1}' },
      { key: 'a1', data: '"x"' },
      { key: 'a2', data: 'y' },
      { key: 'b1', data: '7' },
      { key: 'r1', data: 'hi' },
      { key: 'r2', data: 'you' },
      { key: 'fire', data: '"and forget"' },
    ]);
  });

  it('runs control operations on shardline.api.* with the REST JSON, and reads records', async () => {
    const name = randomName('napi');
    await createActive(name);
    const described = await request(`${api}.describeStream`, { name });
    expect(described.shards).toHaveLength(1);
    const listed = await request(`${api}.listStreams`, { limit: 1000 });
    expect(listed.streams.map((s: Json) => s.name)).toContain(name);
    const updated = await request(`${api}.updateStream`, { name, retentionHours: 36 });
    expect(updated.retentionHours).toBe(36);
    const putAnswer = await request(`${api}.putRecords`, { name, records: [{ partitionKey: 'k', data: { a: 1 } }] });
    expect(putAnswer.failedRecordCount).toBe(0);
    const read = await request(`${api}.getRecords`, { name, shardId: 'shardId-000000000000', from: 'TRIM_HORIZON' });
    expect(read.records.map((r: Json) => r.data)).toEqual([{ a: 1 }]);
    const deleted = await request(`${api}.deleteStream`, { name });
    expect(deleted).toEqual({ name, status: 'DELETING' });
  });

  it('answers mistakes with {error: problem}', async () => {
    const missing = await request(`${api}.describeStream`, { name: randomName('none') });
    expect(missing.error).toEqual(expect.objectContaining({ type: 'https://shardline.dev/problems/resource-not-found', status: 404 }));
    const invalid = await request(`${api}.createStream`, { name: 'bad name' });
    expect(invalid.error.type).toBe('https://shardline.dev/problems/validation-error');
    const unknown = await request(`${api}.noSuchThing`, {});
    expect(unknown.error.type).toBe('https://shardline.dev/problems/unknown-operation');
    const notJson = await request(`${put}.${randomName('x')}`, Buffer.from('{oops'));
    expect(notJson.error.type).toBe('https://shardline.dev/problems/malformed-request');
    const noKey = await request(`${put}.${randomName('x')}`, { data: 1 });
    expect(noKey.error.type).toBe('https://shardline.dev/problems/validation-error');
    const h = headers();
    h.set('Shardline-Partition-Key', 'k');
    const noStream = await request(`${put}.${randomName('x')}`, Buffer.from('z'), h);
    expect(noStream.error.type).toBe('https://shardline.dev/problems/resource-not-found');
  });
});
