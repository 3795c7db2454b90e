import { Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { nativeServices, type NativeServices } from '@shardline/native';
import { FirehoseControl } from '@shardline/firehose';
import { SigV4Verifier } from '@shardline/protocol';
import { Platform } from '@shardline/streams';
import { HealthController } from './health/health.controller';
import { MetricsController } from './health/metrics.controller';
import { KinesisDispatcher } from './kinesis/kinesis-dispatcher';
import { NativeNats } from './nats/native-nats';
import { firehoseProviders } from './firehose/firehose.providers';
import { deliveryViews } from './firehose/delivery-views';

/** The native APIs' services (REST and NATS share one): the platform's, and the Firehose views of the console. */
export const NATIVE_SERVICES = Symbol('NativeServices');

/** The HTTP edge over a platform opened before Nest boots. */
@Module({})
export class GatewayModule {
  static forPlatform(platform: Platform): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: Platform, useValue: platform },
        {
          provide: NATIVE_SERVICES,
          inject: [FirehoseControl],
          useFactory: (control: FirehoseControl) => nativeServices(platform, { delivery: deliveryViews(platform, control) }),
        },
        {
          provide: NativeNatsLifecycle,
          inject: [NATIVE_SERVICES],
          useFactory: (services: NativeServices) => new NativeNatsLifecycle(new NativeNats(platform.nc, services, platform.config.natsApiPrefix)),
        },
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
