/** The idempotency module's public face: what the app may use. */
export { IdempotencyModule } from './idempotency.module.js';
export { IdempotencyMigration } from './idempotency.migration.js';
