import { createActive, rest, waitStatus } from '../support/rest';
import { SseClient } from '../support/sse';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

/** Hash keys inside the first and the second half of the hash space: shard 0 and shard 1 of a 2-shard stream. */
const LOW = '1';
const HIGH = String((1n << 127n) + 1n);

describe('native SSE tail', () => {
  let sl: TestPlatform;
  const tails: SseClient[] = [];

  beforeAll(async () => {
    sl = await startTestPlatform();
  });
  afterEach(() => tails.splice(0).forEach((t) => t.close()));
  afterAll(() => sl.close());

  async function tail(path: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.open(sl.endpoint + path, headers);
    tails.push(client);
    await client.waitFor((c) => c.comments.includes('connected'));
    return client;
  }

  const put = (name: string, records: Array<{ partitionKey: string; data: unknown; explicitHashKey?: string }>) =>
    rest(sl.endpoint, 'POST', `/v1/streams/${name}/records`, { records });
  const values = (client: SseClient) => client.events.map((e) => JSON.parse(e.data).data);

  it('pushes records put after it connected, from every shard, and resumes exactly from Last-Event-ID', async () => {
    const name = randomName('tail');
    await createActive(sl.endpoint, { name, shardCount: 2 });
    await put(name, [{ partitionKey: 'old', data: 'before' }]);
    const first = await tail(`/v1/streams/${name}/tail`);
    expect(first.status).toBe(200);
    await put(name, [
      { partitionKey: 'a', data: 1, explicitHashKey: LOW },
      { partitionKey: 'b', data: 2, explicitHashKey: HIGH },
    ]);
    await put(name, [
      { partitionKey: 'c', data: 3, explicitHashKey: LOW },
      { partitionKey: 'd', data: 4, explicitHashKey: HIGH },
    ]);
    await first.waitFor((c) => c.events.length >= 4);
    expect(values(first).sort()).toEqual([1, 2, 3, 4]);
    const shards = new Set(first.events.map((e) => JSON.parse(e.data).shardId));
    expect(shards).toEqual(new Set(['shardId-000000000000', 'shardId-000000000001']));

    const resumeAt = first.events[1];
    const seenBefore = values(first).slice(0, 2);
    first.close();
    await put(name, [
      { partitionKey: 'e', data: 5, explicitHashKey: LOW },
      { partitionKey: 'f', data: 6, explicitHashKey: HIGH },
    ]);
    const resumed = await tail(`/v1/streams/${name}/tail`, { 'last-event-id': resumeAt.id! });
    await resumed.waitFor((c) => c.events.length >= 4);
    await new Promise((resolve) => setTimeout(resolve, 300)); // nothing more may come
    const expected = [1, 2, 3, 4, 5, 6].filter((v) => !seenBefore.includes(v));
    expect(values(resumed).sort()).toEqual(expected);
  });

  it('tails one shard from TRIM_HORIZON, and follows it into its children after a reshard', async () => {
    const name = randomName('tail1');
    await createActive(sl.endpoint, { name, shardCount: 1 });
    await put(name, [{ partitionKey: 'k', data: 'old' }]);
    const client = await tail(`/v1/streams/${name}/tail?shard=shardId-000000000000&from=TRIM_HORIZON`);
    await client.waitFor((c) => c.events.length >= 1);
    expect(values(client)).toEqual(['old']);

    await rest(sl.endpoint, 'PATCH', `/v1/streams/${name}`, { shardCount: 2 });
    const stream = await waitStatus(sl.endpoint, name, 'ACTIVE');
    expect(stream.openShardCount).toBe(2);
    await put(name, [
      { partitionKey: 'x', data: 'low', explicitHashKey: LOW },
      { partitionKey: 'y', data: 'high', explicitHashKey: HIGH },
    ]);
    await client.waitFor((c) => c.events.length >= 3);
    expect(values(client).slice(1).sort()).toEqual(['high', 'low']);
    expect(client.events.slice(1).every((e) => JSON.parse(e.data).shardId !== 'shardId-000000000000')).toBe(true);
  });

  it('answers a missing stream with a problem before any event', async () => {
    const client = await SseClient.open(`${sl.endpoint}/v1/streams/${randomName('none')}/tail`);
    tails.push(client);
    expect(client.status).toBe(404);
  });
});
