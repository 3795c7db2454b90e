import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { GatewayModule, serveHttp } from '@shardline/gateway';
import { Platform, readConfig } from '@shardline/streams';
import type { PlatformConfig } from '@shardline/streams';
import { removeShardStorage } from './cleanup';
import { dropDatabase, scratchDatabaseUrl } from './database';
import { randomName } from './random-name';

/** A whole Shardline (gateway + shard actors) in this process, on a database of its own. */
export interface TestPlatform {
  endpoint: string;
  platform: Platform;
  config: PlatformConfig;
  /** Moves the platform's clock (iterator expiry) by this many milliseconds. */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export type Transport = 'h2c' | 'http1';
export const TRANSPORTS: Transport[] = ['h2c', 'http1'];

/**
 * Starts the platform as `npm start` does (one process, in-process actors), with short
 * delays. Shard throughput limits are off unless a test passes `shardLimits`: tests of
 * other features write and poll faster than a provisioned shard allows.
 */
export async function startTestPlatform(overrides: Partial<PlatformConfig> = {}): Promise<TestPlatform> {
  let offset = 0;
  const defaults = readConfig();
  const config: PlatformConfig = {
    ...defaults,
    databaseUrl: scratchDatabaseUrl(randomName('sl_e2e')),
    createDelayMs: 100,
    deleteDelayMs: 100,
    leaseTickMs: 250,
    // Test platforms share one NATS server: each serves the NATS API under its own prefix.
    natsApiPrefix: randomName('sl'),
    shardLimits: { ...defaults.shardLimits, enabled: false },
    ...overrides,
  };
  const platform = await Platform.open(config, { gateway: true, shards: true, clock: () => Date.now() + offset });
  const gateway = await serveHttp(GatewayModule.forPlatform(platform), 0, '127.0.0.1');
  return {
    endpoint: `http://127.0.0.1:${gateway.port}`,
    platform,
    config,
    advanceClock: (ms) => (offset += ms),
    close: async () => {
      await gateway.close();
      await platform.close();
      if (!overrides.databaseUrl) {
        await removeShardStorage(config.databaseUrl);
        await dropDatabase(config.databaseUrl);
      }
    },
  };
}

/**
 * The unmodified AWS SDK client: with its default handler (h2c, as every Kinesis client
 * gets) or with the HTTP/1.1 handler.
 */
export function kinesisClient(endpoint: string, transport: Transport): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    ...(transport === 'http1' ? { requestHandler: new NodeHttpHandler() } : {}),
  });
}
