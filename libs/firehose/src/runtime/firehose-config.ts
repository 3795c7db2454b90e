/**
 * Settings of the firehose role, from the environment, with defaults that work on one machine:
 *   SHARDLINE_DATA_DIR        where buckets (without S3) and unpacked plugins live (default ./data)
 *   SHARDLINE_S3_ENDPOINT     an S3-compatible store (MinIO...); unset = buckets are directories
 *   SHARDLINE_S3_ACCESS_KEY_ID / SHARDLINE_S3_SECRET_ACCESS_KEY / SHARDLINE_S3_REGION
 *   SHARDLINE_PLUGIN_PROCESSES  plugin processes per plugin version (default 2)
 *   SHARDLINE_TRANSFORM_CONCURRENCY  transform invocations of one batch in flight (default 2)
 *   SHARDLINE_FIREHOSE_READER_HOLD_HOURS  how long a direct-put stream's other reader (an analytics
 *                             application) holds delivered records without renewing its hold (default 24)
 */
import { resolve } from 'node:path';
import type { S3ConnectionSettings } from '../destinations';

export interface FirehoseConfig {
  dataDir: string;
  s3?: S3ConnectionSettings;
  region: string;
  accountId: string;
  pluginProcesses: number;
  transformConcurrency: number;
  /** How often ownership and configurations are checked besides change notices. */
  reconcileMs: number;
  /** A reader's hold on delivered direct-put records lapses when not renewed for this long. */
  readerHoldMs: number;
}

export function readFirehoseConfig(env: NodeJS.ProcessEnv = process.env, base: { region?: string; accountId?: string } = {}): FirehoseConfig {
  const endpoint = env.SHARDLINE_S3_ENDPOINT;
  return {
    dataDir: resolve(env.SHARDLINE_DATA_DIR ?? 'data'),
    ...(endpoint
      ? {
          s3: {
            endpoint,
            region: env.SHARDLINE_S3_REGION ?? base.region ?? 'us-east-1',
            accessKeyId: env.SHARDLINE_S3_ACCESS_KEY_ID ?? 'minioadmin',
            secretAccessKey: env.SHARDLINE_S3_SECRET_ACCESS_KEY ?? 'minioadmin',
          },
        }
      : {}),
    region: base.region ?? env.AWS_REGION ?? 'us-east-1',
    accountId: base.accountId ?? '000000000000',
    pluginProcesses: Number(env.SHARDLINE_PLUGIN_PROCESSES ?? 2),
    transformConcurrency: Number(env.SHARDLINE_TRANSFORM_CONCURRENCY ?? 2),
    reconcileMs: Number(env.SHARDLINE_FIREHOSE_RECONCILE_MS ?? 2000),
    readerHoldMs: Number(env.SHARDLINE_FIREHOSE_READER_HOLD_HOURS ?? 24) * 3_600_000,
  };
}
