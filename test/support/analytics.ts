import { AnalyticsRuntime, type AnalyticsRuntimeDeps } from '@shardline/analytics';
import type { TestPlatform } from './platform';
import { rest } from './rest';

/** The analytics role beside a test platform, with short reconcile and retry delays. */
export function startTestAnalytics(sl: TestPlatform, overrides: Partial<AnalyticsRuntimeDeps> = {}): Promise<AnalyticsRuntime> {
  return AnalyticsRuntime.start({
    nc: sl.platform.nc,
    dataSource: sl.platform.dataSource,
    databaseUrl: sl.config.databaseUrl,
    streamByName: (name) => sl.platform.directory.active({ name }).then((e) => e.stream).catch(() => undefined),
    putRecords: (ref, records, trace) => sl.platform.backend.putRecords(ref, records, trace),
    registry: sl.platform.registry,
    reconcileMs: 200,
    checkpointMs: 1000,
    retryInitialMs: 50,
    onError: (err, app) => console.warn(`analytics ${app ?? ''}:`, err),
    ...overrides,
  });
}

/** Waits until the application reports `status` over REST. */
export async function waitApplication(endpoint: string, name: string, status: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await rest(endpoint, 'GET', `/v1/analytics/applications/${name}`);
    if (answer.body?.status === status) return;
    if (Date.now() > deadline) throw new Error(`${name} is not ${status}: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Puts JSON values (one record each) over REST. */
export async function putJson(endpoint: string, stream: string, values: Array<{ key: string; data: unknown }>): Promise<void> {
  const answer = await rest(endpoint, 'POST', `/v1/streams/${stream}/records`, { records: values.map((v) => ({ partitionKey: v.key, data: v.data })) });
  if (answer.status !== 200 || answer.body.failedRecordCount) throw new Error(`put failed: ${JSON.stringify(answer.body)}`);
}

/** Puts text lines (one record each, raw bytes) over REST. */
export async function putLines(endpoint: string, stream: string, lines: string[]): Promise<void> {
  const records = lines.map((line, i) => ({ partitionKey: `k${i}`, dataBase64: Buffer.from(line).toString('base64') }));
  const answer = await rest(endpoint, 'POST', `/v1/streams/${stream}/records`, { records });
  if (answer.status !== 200 || answer.body.failedRecordCount) throw new Error(`put failed: ${JSON.stringify(answer.body)}`);
}
