import { Module, type DynamicModule } from '@nestjs/common';
import { SigV4Verifier } from '@shardline/protocol';
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
            new KinesisDispatcher(
              platform.backend,
              { region: platform.config.region, accountId: platform.config.accountId, now: () => new Date() },
              undefined,
              authenticatorOf(platform),
            ),
        },
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
