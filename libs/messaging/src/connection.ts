import { connect, type NatsConnection } from 'nats';
import { DEFAULT_NATS_URL } from './subjects';

/** Opens the process's NATS connection; it reconnects forever, since JetStream is the data plane. */
export async function connectNats(url: string = DEFAULT_NATS_URL, name = 'shardline'): Promise<NatsConnection> {
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
}

/** Largest message the server takes, less room for headers: the limit of one stored record batch. */
export function messageLimit(nc: NatsConnection): number {
  return (nc.info?.max_payload ?? 1024 * 1024) - 4096;
}
