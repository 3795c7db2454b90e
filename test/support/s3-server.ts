import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

/** A real S3-compatible server (s3rver) for tests, on 127.0.0.1 and a random port. */
export interface TestS3Server {
  /** `http://127.0.0.1:<port>`, for `S3ConnectionSettings.endpoint`. */
  endpoint: string;
  /** Credentials s3rver accepts (it checks signatures made with these). */
  accessKeyId: string;
  secretAccessKey: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Starts s3rver in-process over a temporary directory, with the given buckets created. */
export async function startS3Server(buckets: string[] = []): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'shardline-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    stop: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
