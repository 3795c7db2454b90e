import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import { freePort } from './processes';

const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

/** One nats-server of a test cluster. */
export interface NatsNode {
  name: string;
  /** nats://127.0.0.1:<port> for clients. */
  url: string;
  /** The monitoring endpoint (http://127.0.0.1:<port>): /connz, /jsz, /healthz. */
  monitorUrl: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL, and waits for the process to exit. */
  kill(): Promise<void>;
}

/** A JetStream cluster of nats-server processes on 127.0.0.1, each with its own store directory. */
export interface NatsCluster {
  nodes: NatsNode[];
  /** Every node's client URL, comma-separated: NATS_URL for processes that fail over. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `size` nats-server processes (1: a single server of the test's own, to kill) on random ports with cluster routes to each other and
 * JetStream on, and waits until the cluster takes a stream with `size` replicas (the meta
 * leader is elected and every peer is current). Configuration goes through a file because
 * max_payload (8 MB, as deploy/nats.conf) has no command-line flag.
 */
export async function startNatsCluster(size = 3, timeoutMs = 30_000): Promise<NatsCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'shardline-nats-cluster-'));
  const clusterName = `shardline-test-${process.pid}`;
  const ports = await Promise.all(Array.from({ length: size }, async () => ({ client: await freePort(), route: await freePort(), monitor: await freePort() })));
  const routes = ports.map((p) => `nats-route://127.0.0.1:${p.route}`);
  const nodes = ports.map((p, i) => {
    const name = `n${i + 1}`;
    const config = join(dir, `${name}.conf`);
    writeFileSync(
      config,
      [
        `server_name: ${name}`,
        `listen: 127.0.0.1:${p.client}`,
        `http: 127.0.0.1:${p.monitor}`,
        'max_payload: 8MB',
        `jetstream { store_dir: "${join(dir, name)}" }`,
        // One node: a plain server, no cluster block.
        size > 1 ? `cluster { name: ${clusterName}, listen: 127.0.0.1:${p.route}, routes: [${routes.filter((_, j) => j !== i).join(', ')}] }` : '',
      ].join('\n'),
    );
    return startNode(name, config, p.client, p.monitor);
  });
  const cluster: NatsCluster = {
    nodes,
    url: nodes.map((n) => n.url).join(','),
    stop: async () => {
      await Promise.all(nodes.map((n) => n.kill()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitForReplicatedStream(cluster, size, timeoutMs);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return cluster;
}

function startNode(name: string, config: string, clientPort: number, monitorPort: number): NatsNode {
  const child = spawn(NATS_SERVER, ['-c', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    url: `nats://127.0.0.1:${clientPort}`,
    monitorUrl: `http://127.0.0.1:${monitorPort}`,
    child,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Creates and deletes a stream with `replicas` replicas until the cluster takes it. */
async function waitForReplicatedStream(cluster: NatsCluster, replicas: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let nc: NatsConnection | undefined;
  let last: unknown;
  try {
    while (Date.now() < deadline) {
      for (const node of cluster.nodes) {
        if (node.child.exitCode !== null) throw new Error(`nats-server ${node.name} exited:\n${node.output()}`);
      }
      try {
        nc ??= await connect({ servers: cluster.nodes.map((n) => n.url), timeout: 1_000 });
        const jsm = await nc.jetstreamManager({ timeout: 2_000 });
        const name = `probe_${Date.now()}`;
        await jsm.streams.add({ name, subjects: [`probe.${Date.now()}`], num_replicas: replicas });
        await jsm.streams.delete(name);
        return;
      } catch (err) {
        last = err;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    throw new Error(`the NATS cluster did not take a stream of ${replicas} replicas in ${timeoutMs} ms: ${String(last)}`);
  } finally {
    await nc?.close();
  }
}

/** The node a client connection named `name` is connected to (from each node's /connz). */
export async function nodeServing(cluster: NatsCluster, name: string): Promise<NatsNode | undefined> {
  for (const node of cluster.nodes) {
    if (node.child.exitCode !== null || node.child.signalCode !== null) continue;
    const connz = (await fetch(`${node.monitorUrl}/connz?limit=1024`).then((res) => res.json())) as { connections?: Array<{ name?: string }> };
    if (connz.connections?.some((c) => c.name === name)) return node;
  }
  return undefined;
}
