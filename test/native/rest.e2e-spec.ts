import { connect as connectH2 } from 'node:http2';
import { validateOpenApi } from '../support/openapi';
import { createActive, rest, waitStatus, type Json } from '../support/rest';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';

const PROBLEMS = 'https://shardline.dev/problems/';

describe('native REST API', () => {
  let sl: TestPlatform;
  let endpoint: string;
  const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => rest(endpoint, method, path, body, headers);

  beforeAll(async () => {
    sl = await startTestPlatform();
    endpoint = sl.endpoint;
  });
  afterAll(() => sl.close());

  function expectProblem(answer: { status: number; contentType: string; body: Json }, status: number, type: string): void {
    expect(answer.contentType).toContain('application/problem+json');
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual(expect.objectContaining({ type: PROBLEMS + type, status, title: expect.any(String), detail: expect.any(String) }));
  }

  it('creates, lists, describes, updates and deletes a stream', async () => {
    const name = randomName('rest');
    const created = await call('POST', '/v1/streams', { name, shardCount: 2, tags: { team: 'a' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(expect.objectContaining({ name, mode: 'PROVISIONED', tags: { team: 'a' } }));
    const active = await waitStatus(endpoint, name, 'ACTIVE');
    expect(active.shards.map((s: Json) => s.shardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect(active).toEqual(expect.objectContaining({ retentionHours: 24, openShardCount: 2, encryptionType: 'NONE', maxRecordSizeKiB: 1024 }));

    const listed = await call('GET', '/v1/streams?limit=1000');
    expect(listed.status).toBe(200);
    expect(listed.body.streams.map((s: Json) => s.name)).toContain(name);

    const updated = await call('PATCH', `/v1/streams/${name}`, { retentionHours: 48, tags: { env: 'test' } });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual(expect.objectContaining({ retentionHours: 48, tags: { env: 'test' } }));
    const lowered = await call('PATCH', `/v1/streams/${name}`, { retentionHours: 24 });
    expect(lowered.body.retentionHours).toBe(24);

    const scaled = await call('PATCH', `/v1/streams/${name}`, { shardCount: 4 });
    expect(scaled.status).toBe(200);
    const rescaled = await waitStatus(endpoint, name, 'ACTIVE');
    expect(rescaled.openShardCount).toBe(4);

    const moded = await call('PATCH', `/v1/streams/${name}`, { mode: 'ON_DEMAND' });
    expect(moded.status).toBe(200);
    expect((await waitStatus(endpoint, name, 'ACTIVE')).mode).toBe('ON_DEMAND');

    const deleted = await call('DELETE', `/v1/streams/${name}`);
    expect(deleted).toEqual(expect.objectContaining({ status: 202, body: { name, status: 'DELETING' } }));
    const deadline = Date.now() + 10_000;
    let gone = await call('GET', `/v1/streams/${name}`);
    while (gone.status !== 404 && Date.now() < deadline) gone = await call('GET', `/v1/streams/${name}`);
    expectProblem(gone, 404, 'resource-not-found');
  });

  it('pages the stream list with a cursor', async () => {
    const names = [randomName('page'), randomName('page')];
    for (const name of names) await call('POST', '/v1/streams', { name, shardCount: 1 });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await call('GET', `/v1/streams?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.streams.length).toBeLessThanOrEqual(1);
      seen.push(...page.body.streams.map((s: Json) => s.name));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expect.arrayContaining(names));
    expect([...seen].sort()).toEqual(seen);
  });

  it('puts JSON and bytes, one or many, and reads them back page by page with a cursor', async () => {
    const name = randomName('rec');
    await createActive(endpoint, { name, shardCount: 1 });
    const one = await call('POST', `/v1/streams/${name}/records`, { partitionKey: 'a', data: { hello: 'world' } });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ shardId: 'shardId-000000000000', sequenceNumber: expect.stringMatching(/^\d+$/), encryptionType: 'NONE' });
    const bytes = Buffer.from([0xff, 0x00, 0x01]);
    const many = await call('POST', `/v1/streams/${name}/records`, {
      records: [
        { partitionKey: 'b', dataBase64: bytes.toString('base64') },
        { partitionKey: 'c', data: [1, 2, 3] },
        { partitionKey: 'd', data: 'text' },
      ],
    });
    expect(many.body.failedRecordCount).toBe(0);
    expect(many.body.records).toHaveLength(3);

    const first = await call('GET', `/v1/streams/${name}/shards/shardId-000000000000/records?from=TRIM_HORIZON&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.records).toEqual([
      expect.objectContaining({ partitionKey: 'a', data: { hello: 'world' }, dataBase64: Buffer.from('{"hello":"world"}').toString('base64') }),
      expect.objectContaining({ partitionKey: 'b', dataBase64: bytes.toString('base64') }),
    ]);
    expect(first.body.records[1]).not.toHaveProperty('data');
    const second = await call('GET', `/v1/streams/${name}/shards/shardId-000000000000/records?cursor=${first.body.nextCursor}`);
    expect(second.body.records.map((r: Json) => r.data)).toEqual([[1, 2, 3], 'text']);
    const empty = await call('GET', `/v1/streams/${name}/shards/shardId-000000000000/records?cursor=${second.body.nextCursor}`);
    expect(empty.body.records).toEqual([]);
    expect(empty.body.nextCursor).toEqual(expect.any(String));

    const fromSeq = await call('GET', `/v1/streams/${name}/shards/shardId-000000000000/records?from=AT_SEQUENCE_NUMBER:${one.body.sequenceNumber}&limit=1`);
    expect(fromSeq.body.records[0].sequenceNumber).toBe(one.body.sequenceNumber);
    const latest = await call('GET', `/v1/streams/${name}/shards/shardId-000000000000/records?from=LATEST`);
    expect(latest.body.records).toEqual([]);
    const since = await call('GET', `/v1/streams/${name}/shards/shardId-000000000000/records?from=AT_TIMESTAMP:${new Date(Date.now() - 60_000).toISOString()}`);
    expect(since.body.records).toHaveLength(4);
  });

  it('answers client mistakes with problem+json, never a 500', async () => {
    const name = randomName('bad');
    await createActive(endpoint, { name, shardCount: 1 });
    const shard = `/v1/streams/${name}/shards/shardId-000000000000/records`;
    expectProblem(await call('POST', '/v1/streams', { name: 'no spaces allowed' }), 400, 'validation-error');
    expectProblem(await call('POST', '/v1/streams', { name, shardCount: 1 }), 409, 'resource-in-use');
    expectProblem(await call('POST', '/v1/streams', { name: randomName('p'), mode: 'PROVISIONED' }), 400, 'validation-error');
    expectProblem(await call('POST', '/v1/streams', { name: randomName('p'), shardCount: 1.5 }), 400, 'validation-error');
    expectProblem(await call('POST', '/v1/streams', []), 400, 'validation-error');
    expectProblem(await call('POST', '/v1/streams', 'null'), 400, 'validation-error');
    expectProblem(await call('POST', '/v1/streams', '{not json'), 400, 'malformed-request');
    expectProblem(await call('POST', '/v1/streams', 'name=x', { 'content-type': 'text/plain' }), 415, 'unsupported-media-type');
    expectProblem(await call('GET', '/v1/streams?limit=0'), 400, 'validation-error');
    expectProblem(await call('GET', '/v1/streams/missing-stream-x'), 404, 'resource-not-found');
    expectProblem(await call('PATCH', `/v1/streams/${name}`, {}), 400, 'validation-error');
    expectProblem(await call('PATCH', `/v1/streams/${name}`, { retentionHours: 5 }), 400, 'validation-error');
    expectProblem(await call('DELETE', '/v1/streams/missing-stream-x'), 404, 'resource-not-found');
    const noData = await call('POST', `/v1/streams/${name}/records`, { partitionKey: 'a' });
    expectProblem(noData, 400, 'validation-error');
    expect(noData.body.detail).toContain('exactly one of data and dataBase64');
    const badBatch = await call('POST', `/v1/streams/${name}/records`, { records: [{ partitionKey: '', data: 1 }] });
    expectProblem(badBatch, 400, 'validation-error');
    expect(badBatch.body.errors[0].path).toBe('body.records.0.partitionKey');
    expectProblem(await call('POST', `/v1/streams/${name}/records`, { records: [] }), 400, 'validation-error');
    expectProblem(await call('POST', `/v1/streams/${name}/records`, { partitionKey: 'a', dataBase64: '!!' }), 400, 'validation-error');
    expectProblem(await call('POST', '/v1/streams/missing-stream-x/records', { partitionKey: 'a', data: 1 }), 404, 'resource-not-found');
    expectProblem(await call('GET', `${shard}?from=SOMEWHERE`), 400, 'validation-error');
    expectProblem(await call('GET', `${shard}?from=AT_TIMESTAMP:yesterday`), 400, 'validation-error');
    expectProblem(await call('GET', `${shard}?cursor=forged.cursor`), 400, 'invalid-argument');
    expectProblem(await call('GET', `${shard}?from=AT_SEQUENCE_NUMBER:1`), 400, 'invalid-argument');
    expectProblem(await call('GET', `/v1/streams/${name}/shards/shardId-000000000009/records`), 404, 'resource-not-found');
    expectProblem(await call('GET', `/v1/streams/${name}/shards/nope/records`), 400, 'validation-error');
    expectProblem(await call('GET', `/v1/streams/${name}/tail?from=AT_SEQUENCE_NUMBER:1`), 400, 'invalid-argument');
    expectProblem(await call('GET', `/v1/streams/${name}/tail`, undefined, { 'last-event-id': 'garbage' }), 400, 'invalid-argument');
    expectProblem(await call('GET', '/v1/nothing-here'), 404, 'route-not-found');
    expectProblem(await call('PUT', '/v1/streams'), 404, 'route-not-found');
  });

  it("shows a stream's consumer groups, their members, leases and checkpoints, and deletes one", async () => {
    const name = randomName('rest-groups');
    await createActive(endpoint, { name, shardCount: 2 });
    const groups = sl.platform.groups;
    const member = await groups.join(name, 'billing', 'member-1');
    const stored = (await call('POST', `/v1/streams/${name}/records`, { partitionKey: 'k', data: { n: 1 } })).body as Json;
    const lease = (await groups.heartbeat(member)).shards.find((s) => s.shardId === stored.shardId)!;
    await groups.checkpoint(member, lease.shardId, stored.sequenceNumber, lease.epoch);

    expect((await call('GET', `/v1/streams/${name}/groups`)).body).toEqual({ groups: [{ groupName: 'billing', createdAt: expect.any(String) }] });
    const described = await call('GET', `/v1/streams/${name}/groups/billing`);
    expect(described.status).toBe(200);
    expect(described.body).toEqual(
      expect.objectContaining({
        streamName: name,
        groupName: 'billing',
        members: [expect.objectContaining({ memberId: 'member-1', shards: ['shardId-000000000000', 'shardId-000000000001'] })],
      }),
    );
    const shards = described.body.shards as Json[];
    expect(shards.map((s) => [s.shardId, s.owner])).toEqual([
      ['shardId-000000000000', 'member-1'],
      ['shardId-000000000001', 'member-1'],
    ]);
    expect(shards.find((s) => s.shardId === stored.shardId)).toEqual(
      expect.objectContaining({ checkpoint: stored.sequenceNumber, lagRecords: 0, shardEnd: false, waitingForParents: false }),
    );

    expectProblem(await call('GET', `/v1/streams/${name}/groups/nobody`), 404, 'resource-not-found');
    expectProblem(await call('GET', `/v1/streams/${name}/groups/bad%20name`), 400, 'validation-error');
    expect((await call('DELETE', `/v1/streams/${name}/groups/billing`)).body).toEqual({ name, group: 'billing' });
    expect((await call('GET', `/v1/streams/${name}/groups`)).body).toEqual({ groups: [] });
  });

  it('serves an OpenAPI document that validates and covers every route, and Swagger UI', async () => {
    const doc = await call('GET', '/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(await validateOpenApi(doc.body)).toBe('');
    expect(await validateOpenApi({ ...doc.body, paths: { '/x': { get: { responses: 'none' } } } })).not.toBe('');
    const routes = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'POST /v1/streams',
        'GET /v1/streams',
        'GET /v1/streams/{name}',
        'PATCH /v1/streams/{name}',
        'DELETE /v1/streams/{name}',
        'POST /v1/streams/{name}/records',
        'GET /v1/streams/{name}/shards/{shardId}/records',
        'GET /v1/streams/{name}/tail',
        'GET /v1/streams/{name}/groups',
        'GET /v1/streams/{name}/groups/{group}',
        'DELETE /v1/streams/{name}/groups/{group}',
        'POST /v1/streams/{name}/groups/{group}/members',
        'GET /v1/streams/{name}/groups/{group}/members/{memberId}/records',
        'POST /v1/streams/{name}/groups/{group}/members/{memberId}/checkpoints',
        'POST /v1/streams/{name}/groups/{group}/members/{memberId}/heartbeat',
        'DELETE /v1/streams/{name}/groups/{group}/members/{memberId}',
        'GET /v1/openapi.json',
        'POST /v1/plugins/{name}/versions',
        'GET /v1/plugins',
        'GET /v1/plugins/{name}',
        'DELETE /v1/plugins/{name}',
        'POST /v1/analytics/applications',
        'GET /v1/analytics/applications',
        'GET /v1/analytics/applications/{name}',
        'PATCH /v1/analytics/applications/{name}',
        'DELETE /v1/analytics/applications/{name}',
        'POST /v1/analytics/applications/{name}/start',
        'POST /v1/analytics/applications/{name}/stop',
        'GET /v1/analytics/applications/{name}/streams/{stream}/live',
        'POST /v1/analytics/preview',
        'POST /v1/analytics/discover-schema',
        'GET /v1/streams/{name}/metrics',
        'GET /v1/delivery-streams',
        'GET /v1/delivery-streams/{name}',
      ].sort(),
    );
    const page = await fetch(`${endpoint}/docs`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('/v1/openapi.json');
    const bundle = await fetch(`${endpoint}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it('refuses bodies over the limit with problem+json', async () => {
    const name = randomName('big');
    const huge = { records: [{ partitionKey: 'k', dataBase64: 'A'.repeat(17 * 1024 * 1024) }] };
    expectProblem(await call('POST', `/v1/streams/${name}/records`, huge), 413, 'payload-too-large');
  });

  it('serves /v1 over h2c too, the tail included', async () => {
    const name = randomName('h2');
    await createActive(endpoint, { name, shardCount: 1 });
    const session = connectH2(endpoint);
    try {
      const get = (path: string) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const req = session.request({ ':path': path });
          let status = 0;
          let text = '';
          req.on('response', (h) => (status = Number(h[':status'])));
          req.setEncoding('utf8');
          req.on('data', (chunk: string) => {
            text += chunk;
            if (text.includes(': connected')) {
              req.close();
              resolve({ status, text });
            }
          });
          req.on('end', () => resolve({ status, text }));
          req.on('error', reject);
        });
      const described = await get(`/v1/streams/${name}`);
      expect(described.status).toBe(200);
      expect(JSON.parse(described.text).name).toBe(name);
      const tail = await get(`/v1/streams/${name}/tail`);
      expect(tail.status).toBe(200);
      expect(tail.text).toContain(': connected');
    } finally {
      session.close();
    }
  });
});
