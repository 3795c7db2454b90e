import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { FirehoseRuntime } from '@shardline/firehose';
import type { OpsServer } from '@shardline/telemetry';

/**
 * Stops the runners on shutdown (the metrics and health server first): the batch in flight
 * finishes, what is only buffered is redone by the next owner.
 */
class FirehoseLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly runtime: FirehoseRuntime,
    private readonly ops?: OpsServer,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.ops?.close();
    await this.runtime.close();
  }
}

/** The delivery streams a process delivers (the firehose role). */
@Module({})
export class FirehoseModule {
  static forRuntime(runtime: FirehoseRuntime, ops?: OpsServer): DynamicModule {
    return {
      module: FirehoseModule,
      providers: [{ provide: FirehoseLifecycle, useFactory: () => new FirehoseLifecycle(runtime, ops) }],
    };
  }
}
