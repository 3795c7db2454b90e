import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeliveryError } from '../model';
import { DirectoryObjectStore } from './directory-object-store';

describe('DirectoryObjectStore', () => {
  let root: string;
  let store: DirectoryObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'shardline-dir-store-'));
    store = new DirectoryObjectStore(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('writes objects under bucket directories and lists them in key order by prefix', async () => {
    await store.put({ bucket: 'logs', key: '2026/11/26/b', body: Buffer.from('two') });
    await store.put({ bucket: 'logs', key: '2026/11/26/a', body: Buffer.from('one') });
    await store.put({ bucket: 'logs', key: 'other', body: Buffer.from('three') });

    expect(await store.list('logs')).toEqual(['2026/11/26/a', '2026/11/26/b', 'other']);
    expect(await store.list('logs', '2026/')).toEqual(['2026/11/26/a', '2026/11/26/b']);
    expect(await store.list('empty')).toEqual([]);
    expect((await store.get('logs', '2026/11/26/a')).toString()).toBe('one');
  });

  it('replaces an object rewritten under the same key, leaving no temporary files', async () => {
    await store.put({ bucket: 'b', key: 'k', body: Buffer.from('first version, longer') });
    await store.put({ bucket: 'b', key: 'k', body: Buffer.from('second') });

    expect((await store.get('b', 'k')).toString()).toBe('second');
    expect(await readdir(join(root, 'b'))).toEqual(['k']);
  });

  it('keeps the old object whole when a write fails before the rename', async () => {
    await store.put({ bucket: 'b', key: 'k', body: Buffer.from('old') });
    // A body that cannot be written (not a buffer) fails inside the temporary-file write.
    const broken = { bucket: 'b', key: 'k', body: 42 as unknown as Buffer };

    await expect(store.put(broken)).rejects.toBeInstanceOf(DeliveryError);
    expect((await store.get('b', 'k')).toString()).toBe('old');
    expect(await readdir(join(root, 'b'))).toEqual(['k']);
  });

  it('refuses keys that would leave the bucket and reports missing objects', async () => {
    await expect(store.put({ bucket: 'b', key: '../escape', body: Buffer.from('x') })).rejects.toMatchObject({
      errorCode: 'S3.InvalidKey',
      retryable: false,
    });
    await expect(store.get('b', 'missing')).rejects.toMatchObject({ errorCode: 'S3.NoSuchKey', retryable: false });
  });
});
