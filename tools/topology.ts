/**
 * `npm run start:topology`: the topology of docker-compose.yml as local processes — the
 * gateway, two shards processes, firehose and every other app in apps/ — against the NATS
 * and Postgres of NATS_URL and DATABASE_URL. Each process gets a port of its own (the
 * gateway PORT, the others SHARDLINE_METRICS_PORT for /metrics and /health), its output is
 * prefixed with its name, and the launcher waits until each answers /health/ready.
 * SIGINT or SIGTERM stops them all (SIGTERM, then SIGKILL after a grace period).
 *
 *   TOPOLOGY_PORT     the gateway's port (default 4567); the others take the next ones
 *   TOPOLOGY_SHARDS   how many shards processes (default 2)
 *
 * Tests start the same topology with `startTopology()` (random ports, output kept).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..');

/** Apps that are not part of the topology: `standalone` bundles every role in one process, `cli` is a client. */
const NOT_SERVED = new Set(['standalone', 'cli']);

export interface TopologyOptions {
  natsUrl?: string;
  databaseUrl?: string;
  /** Extra environment for every process (SHARDLINE_REPLICAS, lease timings...). */
  env?: NodeJS.ProcessEnv;
  /** The gateway's port; the others take the following ones. 0: every process on a random free port. */
  port?: number;
  /** How many shards processes (compose runs two). */
  shards?: number;
  /** Apps to run; default: every app of apps/ with a src/main.ts, but standalone and cli. */
  apps?: string[];
  /** Where each output line goes; default: stdout, prefixed with the process's name. */
  onLine?: (name: string, line: string) => void;
  /** How long a process may take to answer /health/ready. */
  readyTimeoutMs?: number;
}

/** One process of the topology. */
export interface TopologyProcess {
  /** `gateway`, `shards-1`, `shards-2`, `firehose`... */
  name: string;
  app: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Sends the signal (SIGKILL by default) and waits for the process to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A running topology. */
export interface Topology {
  /** The gateway's HTTP endpoint (Kinesis, Firehose, REST). */
  endpoint: string;
  processes: TopologyProcess[];
  byName(name: string): TopologyProcess;
  /** Stops every process still running: SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** The order of docker-compose.yml; apps it does not name (analytics...) follow, by name. */
const COMPOSE_ORDER = ['gateway', 'shards', 'firehose'];

/** The apps of apps/ that run as their own process, gateway first. */
export function topologyApps(root = ROOT): string[] {
  const dir = join(root, 'apps');
  const apps = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !NOT_SERVED.has(entry.name) && existsSync(join(dir, entry.name, 'src', 'main.ts')))
    .map((entry) => entry.name)
    .sort();
  const rank = (app: string) => (COMPOSE_ORDER.includes(app) ? COMPOSE_ORDER.indexOf(app) : COMPOSE_ORDER.length);
  return apps.sort((a, b) => rank(a) - rank(b));
}

/** Process names per app: `shards-1`..`shards-n` for shards, the app's name for the others. */
export function processNames(apps: string[], shards: number): Array<{ name: string; app: string }> {
  return apps.flatMap((app) =>
    app === 'shards' ? Array.from({ length: shards }, (_, i) => ({ name: `shards-${i + 1}`, app })) : [{ name: app, app }],
  );
}

/**
 * Starts the topology. The gateway starts first and alone (it runs the start-up migrations,
 * as compose orders it), then the other processes together.
 */
export async function startTopology(options: TopologyOptions = {}): Promise<Topology> {
  const planned = processNames(options.apps ?? topologyApps(), options.shards ?? 2);
  const base = options.port ?? 4567;
  const ports = await Promise.all(planned.map((_, i) => (base === 0 ? freePort() : Promise.resolve(base + i))));
  const onLine = options.onLine ?? ((name: string, line: string) => process.stdout.write(`[${name.padEnd(width(planned))}] ${line}\n`));
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    ...(options.natsUrl ? { NATS_URL: options.natsUrl } : {}),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  };
  const processes: TopologyProcess[] = [];
  const topology: Topology = {
    endpoint: '',
    processes,
    byName: (name) => {
      const found = processes.find((p) => p.name === name);
      if (!found) throw new Error(`no process ${name} in the topology`);
      return found;
    },
    stop: (graceMs = 10_000) => stopAll(processes, graceMs),
  };
  const launch = async (i: number) => {
    const { name, app } = planned[i]!;
    const started = spawnApp(name, app, ports[i]!, env, onLine);
    processes.push(started);
    await waitReady(started, options.readyTimeoutMs ?? 60_000);
  };
  try {
    const gateway = planned.findIndex((p) => p.app === 'gateway');
    if (gateway >= 0) await launch(gateway);
    await Promise.all(planned.flatMap((_, i) => (i === gateway ? [] : [launch(i)])));
  } catch (err) {
    await topology.stop(2_000);
    throw err;
  }
  processes.sort((a, b) => planned.findIndex((p) => p.name === a.name) - planned.findIndex((p) => p.name === b.name));
  const gatewayPort = ports[planned.findIndex((p) => p.app === 'gateway')];
  return { ...topology, endpoint: gatewayPort === undefined ? '' : `http://127.0.0.1:${gatewayPort}` };
}

function width(planned: Array<{ name: string }>): number {
  return Math.max(...planned.map((p) => p.name.length));
}

function spawnApp(name: string, app: string, port: number, env: NodeJS.ProcessEnv, onLine: (name: string, line: string) => void): TopologyProcess {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join('apps', app, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), SHARDLINE_METRICS_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output += `${line}\n`;
      onLine(name, line);
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    app,
    port,
    child,
    output: () => output,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Polls the process's /health/ready until it answers 200; fails if the process exits first. */
async function waitReady(app: TopologyProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (app.child.exitCode !== null || app.child.signalCode !== null) {
      throw new Error(`${app.name} exited before it was ready:\n${app.output()}`);
    }
    const ok = await fetch(`http://127.0.0.1:${app.port}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${app.name} not ready on port ${app.port} after ${timeoutMs} ms:\n${app.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** SIGTERM to every process (the gateway last, as compose stops dependants first), SIGKILL to any still running after `graceMs`. */
async function stopAll(processes: TopologyProcess[], graceMs: number): Promise<void> {
  const stopOne = async (p: TopologyProcess) => {
    const timer = setTimeout(() => void p.kill('SIGKILL'), graceMs);
    await p.kill('SIGTERM');
    clearTimeout(timer);
  };
  await Promise.all(processes.filter((p) => p.app !== 'gateway').map(stopOne));
  await Promise.all(processes.filter((p) => p.app === 'gateway').map(stopOne));
}

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function main(): Promise<void> {
  const topology = await startTopology({
    port: Number(process.env.TOPOLOGY_PORT ?? 4567),
    shards: Number(process.env.TOPOLOGY_SHARDS ?? 2),
  });
  const lines = topology.processes.map((p) =>
    p.app === 'gateway'
      ? `  ${p.name.padEnd(10)} pid ${p.child.pid}  Kinesis/Firehose/REST ${topology.endpoint}  metrics ${topology.endpoint}/metrics`
      : `  ${p.name.padEnd(10)} pid ${p.child.pid}  metrics http://127.0.0.1:${p.port}/metrics  health http://127.0.0.1:${p.port}/health/ready`,
  );
  process.stdout.write(`\nshardline topology ready (NATS ${process.env.NATS_URL ?? 'nats://127.0.0.1:4222'}):\n${lines.join('\n')}\nCtrl-C stops it.\n\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('stopping the topology...\n');
    void topology.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  for (const p of topology.processes) {
    p.child.once('exit', (code, signal) => {
      if (!stopping) process.stdout.write(`[${p.name}] exited (${signal ?? `code ${code}`})\n`);
    });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
