import { Client } from 'pg';
import { startTopology, type Topology, type TopologyOptions } from '../../tools/topology';

/**
 * `npm run start:topology` for a test: every process on a random port, fast leases, no
 * shard throttling, output kept (not printed) for failure messages.
 */
export function startTestTopology(options: TopologyOptions & { databaseUrl: string }): Promise<Topology> {
  return startTopology({
    port: 0,
    onLine: () => undefined,
    ...options,
    env: {
      SHARDLINE_LEASE_TTL_MS: '3000',
      SHARDLINE_LEASE_TICK_MS: '500',
      SHARDLINE_STREAM_CREATE_DELAY_MS: '100',
      SHARDLINE_STREAM_DELETE_DELAY_MS: '100',
      SHARDLINE_SHARD_LIMITS: 'off',
      ...options.env,
    },
  });
}

/** Every process's output, prefixed with its name: what a failing test prints. */
export function topologyOutput(topology: Topology): string {
  return topology.processes.map((p) => p.output().replace(/^/gm, `[${p.name}] `)).join('\n');
}

/** Waits until the shards are split between `count` live owners; answers how many own shards. */
export async function waitForLeaseOwners(databaseUrl: string, count: number, timeoutMs = 30_000): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query<{ owners: number }>(
        'SELECT count(DISTINCT owner)::int AS owners FROM shard_leases WHERE expires_at > now()',
      );
      const owners = rows[0]!.owners;
      if (owners >= count || Date.now() > deadline) return owners;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await client.end();
  }
}
