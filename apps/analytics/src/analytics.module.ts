import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { OpsServer } from '@shardline/telemetry';

/**
 * Stops the runners on shutdown (the metrics and health server first): each stores a final
 * checkpoint before its ownership is given up.
 */
class AnalyticsLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly analytics: { close(): Promise<void> },
    private readonly ops?: OpsServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.ops?.close();
    await this.analytics.close();
  }
}

/** The analytics applications a process runs (the analytics role). */
@Module({})
export class AnalyticsModule {
  static forRuntime(analytics: { close(): Promise<void> }, ops?: OpsServer): DynamicModule {
    return {
      module: AnalyticsModule,
      providers: [{ provide: AnalyticsLifecycle, useFactory: () => new AnalyticsLifecycle(analytics, ops) }],
    };
  }
}
