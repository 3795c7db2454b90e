import { ShardlineError, notFound } from '@shardline/protocol';
import { ReadCursorCodec, listCursor, tailPositions } from './cursors';
import { nativeOperations } from './operations';
import { openApiDocument } from './openapi';
import { parse } from './operation';
import { PROBLEM_BASE, ValidationProblem, httpProblem, problemOf } from './problems';
import { startRequest } from './record-operations';
import { recordInput, updateStreamBody } from './schemas';
import { sseFrame } from './tail';
import { entryOf, jsonOf, recordView } from './views';

describe('read cursors', () => {
  const codec = new ReadCursorCodec('secret');
  const cursor = { streamId: 'abc', shardIndex: 3, position: { seq: 42, index: 7 } };

  it('round-trip and never expire', () => {
    expect(codec.decode(codec.encode(cursor))).toEqual(cursor);
  });

  it('refuse forged, foreign and malformed cursors', () => {
    const [payload] = codec.encode(cursor).split('.');
    const forged = Buffer.from('abc:3:1:0').toString('base64url');
    expect(() => codec.decode(`${forged}.${codec.encode(cursor).split('.')[1]}`)).toThrow('Invalid cursor.');
    expect(() => new ReadCursorCodec('other').decode(codec.encode(cursor))).toThrow(ShardlineError);
    expect(() => codec.decode(payload)).toThrow('Invalid cursor.');
    expect(() => codec.decode('')).toThrow('Invalid cursor.');
  });

  it('list cursors carry the last name', () => {
    expect(listCursor.decode(listCursor.encode('my.stream-1'))).toBe('my.stream-1');
  });
});

describe('tail positions (Last-Event-ID)', () => {
  it('encode every shard and decode strictly', () => {
    const positions = new Map([
      [0, { seq: 15, index: 0 }],
      [3, { seq: 2, index: 1 }],
    ]);
    expect(tailPositions.encode(positions)).toBe('0:15:0,3:2:1');
    expect(tailPositions.decode('0:15:0,3:2:1')).toEqual(positions);
    for (const bad of ['', 'x', '0:1', '0:1:2,', '0:1:2;1:2:3']) expect(() => tailPositions.decode(bad)).toThrow('Invalid Last-Event-ID.');
  });
});

describe('record views', () => {
  it('return JSON data only for exact UTF-8 JSON text', () => {
    expect(jsonOf(Buffer.from(' {"a":[1,true,null]}'))).toEqual({ a: [1, true, null] });
    expect(jsonOf(Buffer.from('"text"'))).toBe('text');
    expect(jsonOf(Buffer.from('plain text'))).toBeUndefined();
    expect(jsonOf(Buffer.from('{broken'))).toBeUndefined();
    expect(jsonOf(Buffer.from([0x22, 0xff, 0x22]))).toBeUndefined(); // invalid UTF-8 inside a string
    expect(jsonOf(Buffer.alloc(0))).toBeUndefined();
  });

  it('store JSON data as its text and base64 as bytes', () => {
    expect(entryOf({ partitionKey: 'k', data: { a: 1 } }).data.toString()).toBe('{"a":1}');
    expect(entryOf({ partitionKey: 'k', data: null }).data.toString()).toBe('null');
    expect(entryOf({ partitionKey: 'k', dataBase64: 'AP8=', explicitHashKey: '12' })).toEqual({
      partitionKey: 'k',
      data: Buffer.from([0, 255]),
      explicitHashKey: 12n,
    });
    const view = recordView('shardId-000000000000', {
      sequenceNumber: '1',
      partitionKey: 'k',
      data: Buffer.from('[1]'),
      arrivalTimestamp: new Date('2026-01-01T00:00:00Z'),
    });
    expect(view).toEqual({
      shardId: 'shardId-000000000000',
      sequenceNumber: '1',
      partitionKey: 'k',
      arrivalTimestamp: '2026-01-01T00:00:00.000Z',
      dataBase64: 'WzFd',
      data: [1],
    });
  });
});

describe('problems', () => {
  it('map Shardline errors to stable types and HTTP statuses', () => {
    expect(problemOf(notFound('Stream x not found.'))).toEqual({
      type: `${PROBLEM_BASE}resource-not-found`,
      title: expect.any(String),
      status: 404,
      detail: 'Stream x not found.',
    });
    expect(problemOf(new ShardlineError('ResourceInUseException', 'busy')).status).toBe(409);
    expect(problemOf(new ShardlineError('ProvisionedThroughputExceededException', 'slow down')).status).toBe(429);
    expect(httpProblem('route-not-found', 'GET /v1/x').status).toBe(404);
  });

  it('never leak the text of unexpected errors', () => {
    expect(problemOf(new Error('password=hunter2'))).toEqual(expect.objectContaining({ status: 500, detail: 'An internal error occurred' }));
  });
});

describe('schema validation', () => {
  it('reports JSON paths of the failing fields', () => {
    expect(() => parse(recordInput, { partitionKey: '' }, 'body')).toThrow(ValidationProblem);
    const caught = (() => {
      try {
        parse(updateStreamBody, {}, 'body');
      } catch (err) {
        return err as ValidationProblem;
      }
      return undefined;
    })();
    expect(caught?.problem.errors).toEqual([{ path: 'body', message: 'Give at least one field to change' }]);
  });

  it('parses start positions', () => {
    expect(startRequest('LATEST')).toEqual({ type: 'LATEST' });
    expect(startRequest('AT_SEQUENCE_NUMBER:123')).toEqual({ type: 'AT_SEQUENCE_NUMBER', sequenceNumber: '123' });
    expect(startRequest('AT_TIMESTAMP:2026-01-01T00:00:00Z')).toEqual({ type: 'AT_TIMESTAMP', timestamp: new Date('2026-01-01T00:00:00Z') });
    expect(() => startRequest('AT_TIMESTAMP:soon')).toThrow('not an ISO 8601 time');
  });
});

describe('the OpenAPI document', () => {
  const doc = openApiDocument(nativeOperations, '1') as { paths: Record<string, Record<string, { operationId: string; parameters: Array<{ name: string; in: string; required: boolean }> }>> };

  it('holds every operation once, with its path and query parameters from the schemas', () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toEqual(expect.arrayContaining([...nativeOperations.map((op) => op.name), 'tailStream', 'openApi']));
    expect(new Set(ids).size).toBe(ids.length);
    const read = doc.paths['/v1/streams/{name}/shards/{shardId}/records'].get;
    expect(read.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      'path:name:true',
      'path:shardId:true',
      'query:from:false',
      'query:cursor:false',
      'query:limit:false',
    ]);
  });
});

describe('SSE frames', () => {
  it('carry ids, JSON data and comments', () => {
    expect(sseFrame({ kind: 'open', id: '0:1:0' })).toBe('retry: 1000\nid: 0:1:0\n: connected\n\n');
    expect(sseFrame({ kind: 'heartbeat' })).toBe(': heartbeat\n\n');
    const record = { shardId: 's', sequenceNumber: '1', partitionKey: 'k', arrivalTimestamp: 't', dataBase64: '' };
    expect(sseFrame({ kind: 'record', id: '0:2:0', record })).toBe(`id: 0:2:0\ndata: ${JSON.stringify(record)}\n\n`);
  });
});
