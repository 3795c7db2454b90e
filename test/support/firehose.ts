import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirehoseRuntime, readFirehoseConfig, type FirehoseConfig } from '@shardline/firehose';
import type { TestPlatform } from './platform';

/** The firehose role beside a test platform, on a data directory of its own. */
export interface TestFirehose {
  runtime: FirehoseRuntime;
  config: FirehoseConfig;
  /** Moves the delivery clock (buffer intervals) by this many milliseconds. */
  advanceClock(ms: number): void;
  close(): Promise<void>;
}

export async function startTestFirehose(sl: TestPlatform, overrides: Partial<FirehoseConfig> = {}): Promise<TestFirehose> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'shardline-fh-')));
  const config: FirehoseConfig = {
    ...readFirehoseConfig({}, { region: sl.config.region, accountId: sl.config.accountId }),
    dataDir,
    reconcileMs: 250,
    pluginProcesses: 1,
    ...overrides,
  };
  let offset = 0;
  const runtime = await FirehoseRuntime.start({
    nc: sl.platform.nc,
    dataSource: sl.platform.dataSource,
    databaseUrl: sl.config.databaseUrl,
    config,
    streamById: (id) => sl.platform.directory.byId(id).catch(() => undefined),
    keys: sl.platform.dataKeys.forReading,
    registry: sl.platform.registry,
    now: () => Date.now() + offset,
    onError: (err) => console.warn('firehose:', err),
  });
  return {
    runtime,
    config,
    advanceClock: (ms) => (offset += ms),
    close: async () => {
      await runtime.close();
      if (!overrides.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` holds (every 50 ms), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`not true after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
