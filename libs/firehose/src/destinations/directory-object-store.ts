import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { DeliveryError, ObjectStore, ObjectWrite } from '../model';

/** Temporary files start with this; `list` never shows them. */
const TEMP_PREFIX = '.shardline-tmp-';

/**
 * The local directory destination: a bucket is a directory under `root`, a key a file path
 * under it ('/' separates directories, as S3 consoles show keys).
 *
 * `put` is atomic and durable: the body goes to a temporary file beside the target, is
 * fsynced, renamed over the target (rename is atomic on POSIX), and the directory is
 * fsynced so the rename survives a crash. A crash leaves either the old object or the new
 * one, never part of one; a rewrite of the same key (a redelivered batch) replaces it.
 */
export class DirectoryObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  async put(object: ObjectWrite): Promise<void> {
    const path = this.pathOf(object.bucket, object.key);
    const directory = dirname(path);
    const temp = join(directory, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
    try {
      const firstCreated = await mkdir(directory, { recursive: true });
      await writeDurably(temp, object.body);
      await rename(temp, path);
      await fsyncDirectory(directory);
      // New directories must reach the disk too: fsync each one's parent, up from the file.
      if (firstCreated) {
        for (let dir = directory; dir !== dirname(firstCreated); dir = dirname(dir)) {
          await fsyncDirectory(dirname(dir));
        }
      }
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw fileError(error, `Writing ${object.bucket}/${object.key} failed`);
    }
  }

  async list(bucket: string, prefix = ''): Promise<string[]> {
    const bucketDir = this.bucketPath(bucket);
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw fileError(error, `Listing ${bucket} failed`);
      });
      for (const entry of entries) {
        if (entry.name.startsWith(TEMP_PREFIX)) continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) keys.push(relative(bucketDir, full).split(sep).join('/'));
      }
    };
    await walk(bucketDir);
    return keys.filter((key) => key.startsWith(prefix)).sort(byCodePoint);
  }

  async get(bucket: string, key: string): Promise<Buffer> {
    try {
      return await readFile(this.pathOf(bucket, key));
    } catch (error) {
      throw fileError(error, `Reading ${bucket}/${key} failed`);
    }
  }

  private bucketPath(bucket: string): string {
    if (!bucket || bucket.includes('/') || bucket.includes('\\') || bucket === '.' || bucket === '..') {
      throw new DeliveryError(`Invalid bucket name: ${bucket}`, 'S3.InvalidBucketName', false);
    }
    return join(this.root, bucket);
  }

  /** The file for a key; keys that would leave the bucket (`..`, empty segments) are refused. */
  private pathOf(bucket: string, key: string): string {
    const segments = key.split('/');
    if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith(TEMP_PREFIX) || s.includes('\\'))) {
      throw new DeliveryError(`Invalid object key for a directory store: ${key}`, 'S3.InvalidKey', false);
    }
    return join(this.bucketPath(bucket), ...segments);
  }
}

async function writeDurably(path: string, body: Buffer): Promise<void> {
  const handle = await open(path, 'wx', 0o644);
  try {
    await handle.writeFile(body);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** S3 lists keys in UTF-8 byte order; comparing code points gives the same order. */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * File-system errors as delivery errors. A missing object is final; everything else (a
 * full disk, permissions) is retried like Firehose retries S3: the operator can fix it.
 */
function fileError(error: unknown, message: string): Error {
  if (error instanceof DeliveryError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const detail = `${message}: ${(error as Error).message}`;
  switch (code) {
    case 'ENOENT':
      return new DeliveryError(detail, 'S3.NoSuchKey', false);
    case 'EACCES':
    case 'EPERM':
      return new DeliveryError(detail, 'S3.AccessDenied', true);
    default:
      return new DeliveryError(detail, 'InternalError', true);
  }
}
