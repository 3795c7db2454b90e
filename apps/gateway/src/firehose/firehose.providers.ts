import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { FirehoseControl } from '@shardline/firehose';
import { SigV4Verifier } from '@shardline/protocol';
import type { Platform } from '@shardline/streams';
import { FirehoseDispatcher } from './firehose-dispatcher';

/** Closes the Firehose control plane (timers, the change subscription) when the gateway stops. */
export class FirehoseLifecycle implements OnApplicationShutdown {
  constructor(private readonly control: FirehoseControl) {}

  onApplicationShutdown(): void {
    this.control.close();
  }
}

/**
 * The Firehose API's providers: its control plane over the platform's NATS connection and
 * metadata database (source streams are looked up in the platform's stream repository),
 * and the dispatcher the lane hands Firehose_20150804.* requests to.
 */
export function firehoseProviders(platform: Platform): Provider[] {
  const { config } = platform;
  return [
    {
      provide: FirehoseControl,
      useFactory: () =>
        FirehoseControl.open(
          {
            nc: platform.nc,
            dataSource: platform.dataSource,
            findSourceStream: (arn) => platform.repository.findByArn(arn),
            now: platform.clock,
            dataKeys: platform.dataKeys,
          },
          {
            region: config.region,
            accountId: config.accountId,
            replicas: config.replicas,
            createDelayMs: config.createDelayMs,
            deleteDelayMs: config.deleteDelayMs,
          },
        ),
    },
    { provide: FirehoseLifecycle, inject: [FirehoseControl], useFactory: (control: FirehoseControl) => new FirehoseLifecycle(control) },
    {
      provide: FirehoseDispatcher,
      inject: [FirehoseControl],
      useFactory: (control: FirehoseControl) =>
        new FirehoseDispatcher(
          control.service,
          { region: config.region, accountId: config.accountId, now: () => new Date(platform.clock()) },
          undefined,
          config.credentials.length === 0
            ? undefined
            : new SigV4Verifier(config.credentials, { region: config.region, service: 'firehose', now: platform.clock }),
        ),
    },
  ];
}
