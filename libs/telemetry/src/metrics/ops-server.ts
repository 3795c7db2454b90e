/**
 * The operations endpoints of an app without a web framework (shards, firehose): GET
 * `/metrics` (Prometheus text), `/health/live` and `/health/ready` (503 with the problems
 * while NATS or Postgres is not usable). node:http is enough for three read-only routes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, type Registry } from 'prom-client';

export interface OpsServerOptions {
  registry: Registry;
  /** What keeps the process from serving: an empty list when it is ready. */
  readiness(): Promise<string[]>;
  port: number;
  host?: string;
}

/** A running operations server. */
export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

export async function serveOps(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const send = (status: number, type: string, body: string) => void res.writeHead(status, { 'content-type': type }).end(body);
    void answer(options, req.method ?? 'GET', (req.url ?? '/').split('?')[0]!).then(
      ({ status, type, body }) => send(status, type, body),
      (err: unknown) => send(503, JSON_TYPE, JSON.stringify({ status: 'unavailable', problems: [String(err)] })),
    );
  });
  await listen(server, options.port, options.host);
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const JSON_TYPE = 'application/json';

async function answer(options: OpsServerOptions, method: string, path: string): Promise<{ status: number; type: string; body: string }> {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, type: JSON_TYPE, body: '{"status":"method not allowed"}' };
  if (path === '/metrics') return { status: 200, type: options.registry.contentType, body: await options.registry.metrics() };
  if (path === '/health/live') return { status: 200, type: JSON_TYPE, body: '{"status":"ok"}' };
  if (path !== '/health/ready') return { status: 404, type: JSON_TYPE, body: '{"status":"not found"}' };
  const problems = await options.readiness();
  return problems.length === 0
    ? { status: 200, type: JSON_TYPE, body: '{"status":"ok"}' }
    : { status: 503, type: JSON_TYPE, body: JSON.stringify({ status: 'unavailable', problems }) };
}

function listen(server: Server, port: number, host?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * The port of an app's operations server: SHARDLINE_METRICS_PORT, else PORT (compose sets
 * 4567 for every app); undefined (no server) when neither is set, so several apps started
 * by hand on one machine do not fight over a port.
 */
export function opsPort(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.SHARDLINE_METRICS_PORT || env.PORT;
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${value}`);
  return port;
}

/** Adds the process metrics every app exports (CPU, memory, event loop lag, GC) to its registry. */
export function collectProcessMetrics(registry: Registry): void {
  collectDefaultMetrics({ register: registry });
}
