import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import { Platform } from '@shardline/streams';

/** Liveness and readiness for orchestrators (docker compose healthchecks). */
@Controller('health')
export class HealthController {
  constructor(@Inject(Platform) private readonly platform: Platform) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Ready when NATS is connected and Postgres answers. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok' }> {
    const problems = await this.platform.healthProblems();
    if (problems.length > 0) throw new HttpException({ status: 'unavailable', problems }, 503);
    return { status: 'ok' };
  }
}
