import { Client } from 'pg';

/** The Postgres the integration and e2e tiers use: DATABASE_URL (set by global setup when it starts a container) or the local one. */
export function testDatabaseUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/shardline_test';
}

/** A URL on the test server for a database of its own, for tests whose queries span the whole database. */
export function scratchDatabaseUrl(name: string): string {
  const url = new URL(testDatabaseUrl());
  url.pathname = `/${name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  return url.toString();
}

/** Drops a scratch database, disconnecting anyone still on it. */
export async function dropDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const client = new Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
