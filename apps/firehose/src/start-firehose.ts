import { FirehoseRuntime, readFirehoseConfig } from '@shardline/firehose';
import type { Platform } from '@shardline/streams';
import type { JsonLogger } from '@shardline/telemetry';

/** The firehose role on an open platform: its NATS connection, metadata and stream directory. */
export function startFirehose(platform: Platform, log: JsonLogger): Promise<FirehoseRuntime> {
  const config = readFirehoseConfig(process.env, { region: platform.config.region, accountId: platform.config.accountId });
  return FirehoseRuntime.start({
    nc: platform.nc,
    dataSource: platform.dataSource,
    databaseUrl: platform.config.databaseUrl,
    config,
    streamById: (id) => platform.directory.byId(id).catch(() => undefined),
    keys: platform.dataKeys.forReading,
    registry: platform.registry,
    onError: (err) => log.error('firehose delivery failed', err),
  });
}
