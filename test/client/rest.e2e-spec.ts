import { connect, type NatsConnection } from 'nats';
import {
  ShardlineApiError,
  ShardlineClient,
  ShardlineNatsApi,
  type CheckpointInput,
  type CheckpointResult,
  type CreateStreamInput,
  type GroupBatchEvent,
  type GroupMemberView,
  type GroupShardView,
  type GroupView,
  type JoinResult,
  type MemberAssignment,
  type Problem,
  type ReadResult,
  type RecordView,
  type ShardView,
  type StreamList,
  type StreamSummary,
  type StreamView,
  type UpdateStreamInput,
} from '@shardline/client';
import { startTestPlatform, type TestPlatform } from '../support/platform';
import { randomName } from '../support/random-name';
import type { Json } from '../support/rest';

/** Each key of T marked as the type has it: the compiler checks these tables against the client's interfaces. */
type Fields<T> = { [K in keyof T]-?: undefined extends T[K] ? 'optional' : 'required' };

const shardFields: Fields<ShardView> = {
  shardId: 'required',
  status: 'required',
  parentShardId: 'optional',
  adjacentParentShardId: 'optional',
  hashKeyRange: 'required',
  startingSequenceNumber: 'required',
  endingSequenceNumber: 'optional',
};
const summaryFields: Fields<StreamSummary> = {
  name: 'required',
  arn: 'required',
  status: 'required',
  mode: 'required',
  retentionHours: 'required',
  createdAt: 'required',
  encryptionType: 'required',
  keyId: 'optional',
  maxRecordSizeKiB: 'required',
  openShardCount: 'required',
  consumerCount: 'required',
};
const viewFields: Fields<StreamView> = { ...summaryFields, shards: 'required', tags: 'required' };
const listFields: Fields<StreamList> = { streams: 'required', nextCursor: 'required' };
const recordFields: Fields<RecordView> = {
  shardId: 'required',
  sequenceNumber: 'required',
  partitionKey: 'required',
  arrivalTimestamp: 'required',
  dataBase64: 'required',
  data: 'optional',
};
const readFields: Fields<ReadResult> = { records: 'required', nextCursor: 'required', millisBehindLatest: 'required', childShards: 'optional' };
const problemFields: Fields<Problem> = { type: 'required', title: 'required', status: 'required', detail: 'required', errors: 'optional', line: 'optional', column: 'optional' };
const createFields: Fields<CreateStreamInput> = { name: 'required', shardCount: 'optional', mode: 'optional', tags: 'optional' };
const updateFields: Fields<UpdateStreamInput> = {
  retentionHours: 'optional',
  shardCount: 'optional',
  mode: 'optional',
  maxRecordSizeKiB: 'optional',
  tags: 'optional',
};

const groupFields: Fields<GroupView> = { streamName: 'required', groupName: 'required', createdAt: 'required', members: 'required', shards: 'required' };
const groupMemberFields: Fields<GroupMemberView> = { memberId: 'required', joinedAt: 'required', lastHeartbeat: 'required', shards: 'required' };
const groupShardFields: Fields<GroupShardView> = {
  shardId: 'required',
  status: 'required',
  owner: 'optional',
  epoch: 'optional',
  checkpoint: 'optional',
  shardEnd: 'required',
  waitingForParents: 'required',
  lagRecords: 'required',
  lagMillis: 'required',
};
const assignmentFields: Fields<MemberAssignment> = { memberId: 'required', shards: 'required' };
const joinFields: Fields<JoinResult> = { ...assignmentFields, streamName: 'required', groupName: 'required', heartbeatMs: 'required', memberTtlMs: 'required', links: 'required' };
const checkpointFields: Fields<CheckpointInput> = { shardId: 'required', sequenceNumber: 'required', epoch: 'required' };
const checkpointResultFields: Fields<CheckpointResult> = { ...checkpointFields, acknowledged: 'required' };
const batchEventFields: Fields<GroupBatchEvent> = {
  shardId: 'required',
  epoch: 'required',
  shardEnd: 'required',
  millisBehindLatest: 'required',
  lastSequenceNumber: 'required',
  records: 'required',
};

/** A JSON schema's properties as the same table. */
function fieldsOf(schema: Json): Record<string, string> {
  const required = new Set<string>(schema.required ?? []);
  return Object.fromEntries(Object.keys(schema.properties).map((k) => [k, required.has(k) ? 'required' : 'optional']));
}

describe('@shardline/client over REST and NATS', () => {
  let sl: TestPlatform;
  let client: ShardlineClient;
  let nc: NatsConnection;

  beforeAll(async () => {
    sl = await startTestPlatform();
    client = new ShardlineClient({ endpoint: sl.endpoint });
    nc = await connect({ servers: sl.config.natsUrl });
  });
  afterAll(async () => {
    await nc.close();
    await sl.close();
  });

  it('mirrors the live OpenAPI document: every route it calls exists, every shape has the same fields', async () => {
    const doc: Json = await (await fetch(`${sl.endpoint}/v1/openapi.json`)).json();
    const routes = ['post /v1/streams', 'get /v1/streams', 'get /v1/streams/{name}', 'patch /v1/streams/{name}', 'delete /v1/streams/{name}'];
    routes.push('post /v1/streams/{name}/records', 'get /v1/streams/{name}/shards/{shardId}/records', 'get /v1/streams/{name}/tail');
    const members = '/v1/streams/{name}/groups/{group}/members';
    routes.push('get /v1/streams/{name}/groups', 'get /v1/streams/{name}/groups/{group}', 'delete /v1/streams/{name}/groups/{group}', `post ${members}`);
    routes.push(`get ${members}/{memberId}/records`, `post ${members}/{memberId}/checkpoints`, `post ${members}/{memberId}/heartbeat`, `delete ${members}/{memberId}`);
    for (const route of routes) {
      const [method, path] = route.split(' ');
      expect([route, doc.paths[path]?.[method] !== undefined]).toEqual([route, true]);
    }
    const answer = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content['application/json'].schema;
    const view = answer('/v1/streams/{name}', 'get', '200');
    expect(fieldsOf(view)).toEqual(viewFields);
    expect(fieldsOf(view.properties.shards.items)).toEqual(shardFields);
    expect(fieldsOf(answer('/v1/streams', 'post', '201'))).toEqual(viewFields);
    expect(fieldsOf(answer('/v1/streams/{name}', 'patch', '200'))).toEqual(viewFields);
    const list = answer('/v1/streams', 'get', '200');
    expect(fieldsOf(list)).toEqual(listFields);
    expect(fieldsOf(list.properties.streams.items)).toEqual(summaryFields);
    const read = answer('/v1/streams/{name}/shards/{shardId}/records', 'get', '200');
    expect(fieldsOf(read)).toEqual(readFields);
    expect(fieldsOf(read.properties.records.items)).toEqual(recordFields);
    expect(fieldsOf(doc.paths['/v1/streams/{name}/tail'].get.responses['200']['x-record-schema'])).toEqual(recordFields);
    expect(fieldsOf(doc.components.schemas.Problem)).toEqual(problemFields);
    expect(fieldsOf(doc.paths['/v1/streams'].post.requestBody.content['application/json'].schema)).toEqual(createFields);
    expect(fieldsOf(doc.paths['/v1/streams/{name}'].patch.requestBody.content['application/json'].schema)).toEqual(updateFields);
    const group = answer('/v1/streams/{name}/groups/{group}', 'get', '200');
    expect(fieldsOf(group)).toEqual(groupFields);
    expect(fieldsOf(group.properties.members.items)).toEqual(groupMemberFields);
    expect(fieldsOf(group.properties.shards.items)).toEqual(groupShardFields);
    expect(fieldsOf(answer(members, 'post', '201'))).toEqual(joinFields);
    expect(fieldsOf(answer(`${members}/{memberId}/heartbeat`, 'post', '200'))).toEqual(assignmentFields);
    expect(fieldsOf(answer(`${members}/{memberId}/checkpoints`, 'post', '200'))).toEqual(checkpointResultFields);
    expect(fieldsOf(doc.paths[`${members}/{memberId}/checkpoints`].post.requestBody.content['application/json'].schema)).toEqual(checkpointFields);
    const events = doc.paths[`${members}/{memberId}/records`].get.responses['200']['x-event-schemas'];
    expect(fieldsOf(events.batch)).toEqual(batchEventFields);
    expect(fieldsOf(events.batch.properties.records.items)).toEqual(recordFields);
    expect(fieldsOf(events.assignment)).toEqual(assignmentFields);
  });

  it('controls streams, puts, reads pages and follows the tail', async () => {
    const name = randomName('client');
    const created = await client.streams.create({ name, shardCount: 2, tags: { team: 'a' } });
    expect(created).toEqual(expect.objectContaining({ name, mode: 'PROVISIONED', openShardCount: 2 }));
    const active = await client.streams.waitFor(name);
    expect(active.shards.map((s) => s.shardId)).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    expect((await client.streams.listAll()).map((s) => s.name)).toContain(name);
    expect((await client.streams.update(name, { retentionHours: 48 })).retentionHours).toBe(48);
    expect((await client.streams.describe(name)).tags).toEqual({ team: 'a' });

    const one = await client.records.put(name, { partitionKey: 'k', data: { n: 0 }, explicitHashKey: '1' });
    expect(one).toEqual({ shardId: 'shardId-000000000000', sequenceNumber: expect.stringMatching(/^\d+$/), encryptionType: 'NONE' });
    const many = await client.records.putMany(
      name,
      Array.from({ length: 5 }, (_, n) => ({ partitionKey: 'k', dataBase64: Buffer.from(`raw-${n}`).toString('base64'), explicitHashKey: '1' })),
    );
    expect(many.failedRecordCount).toBe(0);

    const page = await client.records.read(name, 'shardId-000000000000', { limit: 2 });
    expect(page.records.map((r) => r.data)).toEqual([{ n: 0 }, undefined]);
    expect(page.nextCursor).toEqual(expect.any(String));
    const all: RecordView[] = [];
    for await (const record of client.records.iterate(name, 'shardId-000000000000', { limit: 2 })) all.push(record);
    expect(all.map((r) => Buffer.from(r.dataBase64, 'base64').toString())).toEqual(['{"n":0}', 'raw-0', 'raw-1', 'raw-2', 'raw-3', 'raw-4']);

    const controller = new AbortController();
    const seen: string[] = [];
    let resumeAt = '';
    for await (const { id, record } of client.tail(name, { from: 'TRIM_HORIZON', signal: controller.signal })) {
      seen.push(record.dataBase64);
      if (seen.length === 3) resumeAt = id;
      if (seen.length === 6) controller.abort();
    }
    expect(seen).toEqual(all.map((r) => r.dataBase64));
    const resumed: string[] = [];
    const tail = client.tail(name, { lastEventId: resumeAt });
    void client.records.put(name, { partitionKey: 'late', data: 'late', explicitHashKey: '1' });
    for await (const { record } of tail) {
      resumed.push(Buffer.from(record.dataBase64, 'base64').toString());
      if (resumed.length === 4) break; // leaving the loop closes the connection
    }
    expect(resumed).toEqual(['raw-2', 'raw-3', 'raw-4', '"late"']);

    expect(await client.streams.delete(name)).toEqual({ name, status: 'DELETING' });
  });

  it('throws ShardlineApiError with the problem document', async () => {
    const missing = await client.streams.describe('no-such-stream').catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(ShardlineApiError);
    expect((missing as ShardlineApiError).kind).toBe('resource-not-found');
    expect((missing as ShardlineApiError).status).toBe(404);
    const invalid = (await client.streams.create({ name: 'bad name!', shardCount: 0 }).catch((err: unknown) => err)) as ShardlineApiError;
    expect(invalid.problem).toEqual(expect.objectContaining({ status: 400, type: 'https://shardline.dev/problems/validation-error' }));
    expect(invalid.problem.errors?.map((e) => e.path).sort()).toEqual(['body.name', 'body.shardCount']);
    const tail = client.tail('no-such-stream')[Symbol.asyncIterator]();
    await expect(tail.next()).rejects.toMatchObject({ problem: { status: 404 } });
  });

  it('runs the same operations over NATS under the platform\'s prefix', async () => {
    const api = new ShardlineNatsApi(nc, { prefix: sl.config.natsApiPrefix });
    const name = randomName('natsapi');
    expect((await api.createStream({ name, shardCount: 1 })).name).toBe(name);
    await client.streams.waitFor(name);
    expect((await api.describeStream(name)).shards).toHaveLength(1);
    expect((await api.listStreams({ limit: 1000 })).streams.map((s) => s.name)).toContain(name);
    expect((await api.putRecord(name, { partitionKey: 'a', data: 1 })).shardId).toBe('shardId-000000000000');
    expect((await api.putRecords(name, [{ partitionKey: 'b', data: 2 }])).failedRecordCount).toBe(0);
    expect((await api.getRecords(name, 'shardId-000000000000')).records.map((r) => r.data)).toEqual([1, 2]);
    expect((await api.updateStream(name, { retentionHours: 36 })).retentionHours).toBe(36);
    await expect(api.describeStream('no-such-stream')).rejects.toMatchObject({ kind: 'resource-not-found' });
    expect(await api.deleteStream(name)).toEqual({ name, status: 'DELETING' });
  });
});
