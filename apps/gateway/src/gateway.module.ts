import { Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { nativeServices } from '@shardline/native';
import { SigV4Verifier } from '@shardline/protocol';
import { Platform } from '@shardline/streams';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { KinesisDispatcher } from './kinesis/kinesis-dispatcher';
import { NativeNats } from './nats/native-nats';
import { firehoseProviders } from './firehose/firehose.providers';

/** The HTTP edge over a platform opened before Nest boots. */
@Module({})
export class GatewayModule {
  static forPlatform(platform: Platform): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: Platform, useValue: platform },
        { provide: NativeNatsLifecycle, useFactory: () => new NativeNatsLifecycle(new NativeNats(platform.nc, nativeServices(platform), platform.config.natsApiPrefix)) },
        {
          provide: KinesisDispatcher,
          useFactory: () =>
            new KinesisDispatcher(
              platform.backend,
              { region: platform.config.region, accountId: platform.config.accountId, now: () => new Date() },
              undefined,
              authenticatorOf(platform),
            ),
        },
        ...firehoseProviders(platform),
      ],
    };
  }
}

/** SigV4 verification when access keys are configured; none (the local default) accepts any request. */
function authenticatorOf(platform: Platform): SigV4Verifier | undefined {
  const { credentials, region } = platform.config;
  if (credentials.length === 0) return undefined;
  return new SigV4Verifier(credentials, { region, service: 'kinesis', now: platform.clock });
}

/** Serves the NATS API while the gateway runs: subscribed at boot, unsubscribed at shutdown. */
export class NativeNatsLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(private readonly nats: NativeNats) {}

  onModuleInit(): void {
    this.nats.start();
  }

  onApplicationShutdown(): void {
    this.nats.stop();
  }
}
