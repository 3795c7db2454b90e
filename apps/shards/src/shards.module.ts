import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Platform } from '@shardline/streams';

/** Closes the platform on shutdown: actors drain their mailboxes and leases are released. */
class ShardsLifecycle implements OnApplicationShutdown {
  constructor(private readonly platform: Platform) {}

  async onApplicationShutdown(): Promise<void> {
    await this.platform.close();
  }
}

/** The shard actors of a platform opened with the shards role (its supervisor places them). */
@Module({})
export class ShardsModule {
  static forPlatform(platform: Platform): DynamicModule {
    return {
      module: ShardsModule,
      providers: [{ provide: ShardsLifecycle, useFactory: () => new ShardsLifecycle(platform) }],
    };
  }
}
