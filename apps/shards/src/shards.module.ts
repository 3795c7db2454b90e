import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Platform } from '@shardline/streams';
import type { OpsServer } from '@shardline/telemetry';

/** Closes the platform on shutdown (actors drain their mailboxes, leases are released), the metrics and health server first. */
class ShardsLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly platform: Platform,
    private readonly ops?: OpsServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.ops?.close();
    await this.platform.close();
  }
}

/** The shard actors of a platform opened with the shards role (its supervisor places them). */
@Module({})
export class ShardsModule {
  static forPlatform(platform: Platform, ops?: OpsServer): DynamicModule {
    return {
      module: ShardsModule,
      providers: [{ provide: ShardsLifecycle, useFactory: () => new ShardsLifecycle(platform, ops) }],
    };
  }
}
