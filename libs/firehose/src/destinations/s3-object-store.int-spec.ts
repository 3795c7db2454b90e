import { startS3Server, TestS3Server } from '../../../../test/support/s3-server';
import { bucketFromArn, s3ObjectStoreFrom, S3ObjectStore } from './s3-object-store';

describe('S3ObjectStore against s3rver', () => {
  let server: TestS3Server;
  let store: S3ObjectStore;

  beforeAll(async () => {
    server = await startS3Server(['delivery']);
    store = s3ObjectStoreFrom({ BucketARN: 'arn:aws:s3:::delivery' }, server).store;
  });
  afterAll(async () => {
    store.close();
    await server.stop();
  });

  it('puts, lists by prefix and gets objects, a rewrite replacing the object', async () => {
    await store.put({ bucket: 'delivery', key: '2026/11/26/04/a', body: Buffer.from('first'), contentType: 'application/octet-stream' });
    await store.put({ bucket: 'delivery', key: '2026/11/26/04/b', body: Buffer.from('second') });
    await store.put({ bucket: 'delivery', key: 'errors/x', body: Buffer.from('bad') });
    await store.put({ bucket: 'delivery', key: '2026/11/26/04/a', body: Buffer.from('first, again') });

    expect(await store.list('delivery', '2026/')).toEqual(['2026/11/26/04/a', '2026/11/26/04/b']);
    expect(await store.list('delivery')).toHaveLength(3);
    expect((await store.get('delivery', '2026/11/26/04/a')).toString()).toBe('first, again');
  });

  it('keeps binary bodies intact', async () => {
    const body = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));
    await store.put({ bucket: 'delivery', key: 'binary', body, contentEncoding: 'gzip' });
    expect((await store.get('delivery', 'binary')).equals(body)).toBe(true);
  });

  it('maps a missing bucket to S3.NoSuchBucket, retried as Firehose does', async () => {
    await expect(store.put({ bucket: 'nope', key: 'k', body: Buffer.from('x') })).rejects.toMatchObject({
      name: 'DeliveryError',
      errorCode: 'S3.NoSuchBucket',
      retryable: true,
    });
  });

  it('maps an unreachable endpoint to a retryable InternalError', async () => {
    const closed = new S3ObjectStore({ ...server, endpoint: 'http://127.0.0.1:1' });
    await expect(closed.get('delivery', 'k')).rejects.toMatchObject({ errorCode: 'InternalError', retryable: true });
    closed.close();
  });

  it('reads the bucket from a BucketARN', () => {
    expect(bucketFromArn('arn:aws:s3:::my-bucket')).toBe('my-bucket');
    expect(() => bucketFromArn('arn:aws:s3:::my-bucket/prefix')).toThrow('Not an S3 bucket ARN');
  });
});
