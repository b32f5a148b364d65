/** The outbound module's public face: what other modules and the app may use. */
export { OutboundModule } from './outbound.module.js';
export { OutboundMailModule } from './mail.module.js';
export { LoginLinkMailer, type LoginLinkMail } from './commands/send-login-link/login-link-mailer.js';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './domain/webhook-event-types.js';
export type { WebhookEndpointCreated, WebhookEndpointDeleted, WebhookEndpointDisabled } from './domain/webhook-endpoint.js';
export { outboundOpenApi } from './outbound.openapi.js';
export { OutboundMigration } from './outbound.migration.js';
