import { streamKey } from '../../../libs/event-store/stream-name.js';
/** One stream per Stripe event id: its existence makes a redelivery a no-op. */
export const platformWebhookStream = (eventId: string) => `platformwebhook-${streamKey(eventId)}`;

/** A verified platform-account event, stored before it is processed. Platform-wide, so no companyId. */
export type PlatformWebhookReceived = {
  type: 'PlatformWebhookReceived';
  data: { eventId: string; eventType: string; account: string | null; created: number; object: Record<string, unknown> };
};
