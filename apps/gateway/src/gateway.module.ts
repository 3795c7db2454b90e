import { Module, type DynamicModule } from '@nestjs/common';
import { Platform } from '@shardline/streams';
import { HealthController } from './health/health.controller';
import { KinesisDispatcher } from './kinesis/kinesis-dispatcher';

/** The HTTP edge over a platform opened before Nest boots. */
@Module({})
export class GatewayModule {
  static forPlatform(platform: Platform): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [HealthController],
      providers: [
        { provide: Platform, useValue: platform },
        {
          provide: KinesisDispatcher,
          useFactory: () =>
            new KinesisDispatcher(platform.backend, {
              region: platform.config.region,
              accountId: platform.config.accountId,
              now: () => new Date(),
            }),
        },
      ],
    };
  }
}
