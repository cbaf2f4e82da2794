export { createPinoLogger, REDACTED_PATHS } from './pino-logger.factory.js';
export { PinoNestLogger } from './pino-nest.logger.js';
export { MetricsRegistry } from './metrics.registry.js';
export { ReadinessRegistry, type ReadinessCheck, type ReadinessReport } from './readiness.registry.js';
export { OperationsModule } from './operations.module.js';
