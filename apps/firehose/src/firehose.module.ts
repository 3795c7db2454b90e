import { Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { FirehoseRuntime } from '@shardline/firehose';

/** Stops the runners on shutdown: the batch in flight finishes, what is only buffered is redone by the next owner. */
class FirehoseLifecycle implements OnApplicationShutdown {
  constructor(private readonly runtime: FirehoseRuntime) {}

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.close();
  }
}

/** The delivery streams a process delivers (the firehose role). */
@Module({})
export class FirehoseModule {
  static forRuntime(runtime: FirehoseRuntime): DynamicModule {
    return {
      module: FirehoseModule,
      providers: [{ provide: FirehoseLifecycle, useFactory: () => new FirehoseLifecycle(runtime) }],
    };
  }
}
