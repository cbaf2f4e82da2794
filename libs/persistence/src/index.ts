export { openDataSource, pendingMigrations, MIGRATIONS_TABLE, type DatabaseTarget } from './data-source.factory.js';
export { PGliteSerialPool, pgliteDriver } from './pglite-serial.pool.js';
export { TypeOrmUnitOfWork } from './typeorm-unit-of-work.js';
export { DatabaseHealth, type DatabaseStatus } from './database-health.js';
export { PersistenceModule } from './persistence.module.js';
export { MIGRATIONS } from './migrations/index.js';
export { TypeOrmChangeFeed, CHANGE_POLL_INTERVAL_MS } from './typeorm-change.feed.js';
