/** The reports module's public face: what the app may use (never its queries/ directly). */
export { ReportsModule } from './reports.module.js';
export { reportsOpenApi } from './reports.openapi.js';
