/** The health module's public face: its controllers and their documentation, for the app. */
export { HealthController } from './health.http.controller.js';
export { MetricsController } from './metrics.http.controller.js';
export { healthOpenApi } from './health.openapi.js';
