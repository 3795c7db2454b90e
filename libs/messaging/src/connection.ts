import { connect, type NatsConnection } from 'nats';
import { DEFAULT_NATS_URL } from './subjects';

/**
 * Opens the process's NATS connection; it reconnects forever, since JetStream is the data plane.
 * `url` may list several servers of a cluster, comma-separated (NATS_URL=nats://a:4222,nats://b:4222):
 * the client picks one and fails over to the others (it also learns the cluster's other routes).
 */
export async function connectNats(url: string = DEFAULT_NATS_URL, name = 'shardline'): Promise<NatsConnection> {
  return connect({ servers: natsServers(url), name, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
}

/** The servers of a NATS_URL: one URL or a comma-separated list. */
export function natsServers(url: string): string[] {
  return url
    .split(',')
    .map((server) => server.trim())
    .filter((server) => server.length > 0);
}

/** Largest message the server takes, less room for headers: the limit of one stored record batch. */
export function messageLimit(nc: NatsConnection): number {
  return (nc.info?.max_payload ?? 1024 * 1024) - 4096;
}
