import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '@s2s/admin-access';
import type { FastifyReply } from 'fastify';
import { DatabaseProbe } from '@s2s/core';
import { ReadinessRegistry } from './readiness.registry.js';

/**
 * `GET /health/live` (the process answers) and `GET /health/ready` (database reachable, every
 * migration applied, and every registered capability check passing). 503 when not ready.
 */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: DatabaseProbe,
    private readonly readiness: ReadinessRegistry,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: database reachable, migrations applied, capabilities ready' })
  @ApiServiceUnavailableResponse({ description: 'Not ready; the body says which check failed and why' })
  @HealthCheck()
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    try {
      return await this.checkReadiness();
    } catch (error) {
      // Terminus reports "not ready" as a 503 exception: answer with its report, which says why.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  private checkReadiness(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => {
        const session = this.indicators.check('database');
        const status = await this.database.status();
        if (!status.reachable) return session.down({ reason: `database unreachable: ${status.error}` });
        if (status.pendingMigrations.length) return session.down({ reason: 'migrations pending', pendingMigrations: status.pendingMigrations });
        return session.up();
      },
      ...this.readiness.entries().map(([name, check]) => async () => {
        const session = this.indicators.check(name);
        const { ready, ...details } = await check();
        return ready ? session.up(details) : session.down(details);
      }),
    ]);
  }
}
