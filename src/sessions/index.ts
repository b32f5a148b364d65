/** The sessions module's public face: what the app may use (never its domain/, commands/ or queries/ directly). */
export { SessionsModule } from './sessions.module.js';
export { SessionsMigration } from './sessions.migration.js';
export { sessionsOpenApi } from './sessions.openapi.js';
