// Jest global setup for the integration and e2e tiers. Runs before the workers start, so
// the environment it sets is inherited by every test file.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
// Relative on purpose: jest's moduleNameMapper does not apply to globalSetup modules, so
// '@shardline/metadata' would not resolve here (data-source.ts imports no other lib).
// eslint-disable-next-line no-restricted-imports
import { openMetadata } from '../../libs/metadata/src/data-source';
import { testDatabaseUrl } from './database';

const DOCKER_SOCKET = '/var/run/docker.sock';

/** Starts NATS and Postgres in containers when nothing is configured and Docker is there, then migrates once. */
export default async function globalSetup(): Promise<void> {
  if (!process.env.NATS_URL && !process.env.DATABASE_URL && (await dockerAnswers())) {
    await startContainers();
  }
  const dataSource = await openMetadata(testDatabaseUrl());
  await dataSource.destroy();
}

async function startContainers(): Promise<void> {
  // Loaded only here: testcontainers is heavy and pointless without a Docker engine.
  const { GenericContainer, Wait } = await import('testcontainers');
  const [nats, postgres] = await Promise.all([
    new GenericContainer('nats:2.10')
      .withCommand(['-js'])
      .withExposedPorts(4222)
      .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
      .start(),
    new GenericContainer('postgres:15')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'shardline_test' })
      .withExposedPorts(5432)
      // The entrypoint starts Postgres twice (init, then for real); wait for the second.
      .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
      .start(),
  ]);
  // Ryuk, testcontainers' reaper, removes both containers when this process exits.
  process.env.NATS_URL = `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`;
  process.env.DATABASE_URL = `postgres://postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/shardline_test`;
}

/** True when a Docker engine listens on the default socket and answers its ping. */
function dockerAnswers(): Promise<boolean> {
  if (!existsSync(DOCKER_SOCKET)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const ping = request({ socketPath: DOCKER_SOCKET, path: '/_ping', timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    ping.on('timeout', () => ping.destroy());
    ping.on('error', () => resolve(false));
    ping.end();
  });
}
