import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics.registry.js';
import { ReadinessRegistry } from './readiness.registry.js';

/** Health, readiness and Prometheus metrics (SPEC 5.8). */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [MetricsRegistry, ReadinessRegistry],
  exports: [MetricsRegistry, ReadinessRegistry],
})
export class OperationsModule {}
