/** The audit module's public face: what the app may use (never its commands/ or queries/ directly). */
export { AuditModule } from './audit.module.js';
export { auditOpenApi } from './audit.openapi.js';
