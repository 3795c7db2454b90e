import { Controller, Get, Header, Inject } from '@nestjs/common';
import { contentType } from 'prom-client';
import { Platform } from '@shardline/streams';

/** Prometheus scrapes the process's metrics here (docs/observability.md lists them). */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(Platform) private readonly platform: Platform) {}

  @Get()
  @Header('content-type', contentType)
  metrics(): Promise<string> {
    return this.platform.registry.metrics();
  }
}
