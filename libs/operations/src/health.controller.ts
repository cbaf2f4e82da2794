import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult, HealthIndicatorService } from '@nestjs/terminus';
import { Public } from '@s2s/admin-access';
import { DatabaseHealth } from '@s2s/persistence';
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
    private readonly database: DatabaseHealth,
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
  ready(): Promise<HealthCheckResult> {
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
