import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';

/** Stops the runners on shutdown: each stores a final checkpoint before its ownership is given up. */
class AnalyticsLifecycle implements OnApplicationShutdown {
  constructor(private readonly analytics: { close(): Promise<void> }) {}

  async onApplicationShutdown(): Promise<void> {
    await this.analytics.close();
  }
}

/** The analytics applications a process runs (the analytics role). */
@Module({})
export class AnalyticsModule {
  static forRuntime(analytics: { close(): Promise<void> }): DynamicModule {
    return {
      module: AnalyticsModule,
      providers: [{ provide: AnalyticsLifecycle, useFactory: () => new AnalyticsLifecycle(analytics) }],
    };
  }
}
