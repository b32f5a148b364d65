/**
 * The tracking module's public face: its events, stream names and the click lookup other modules may use.
 * Nothing outside imports its domain/, commands/ or queries/ directly.
 */
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { clickStream, parseClickId, type ClickRecorded } from './domain/click.js';

export { clickStream, CLICK_ID, type ClickRecorded, type ClickEvent } from './domain/click.js';
export { ReferralRedirect } from './commands/record-click/referral-redirect.js';
export { referralRedirectRoute } from './commands/record-click/referral-redirect.lean-route.js';

export interface KnownClick {
  clickId: string;
  companyId: string;
  partnerId: string;
  at: string;
}

/** A counted click of the company by its id (`clk_…`), read from its stream; null when there is none. */
export async function clickOf(store: EventStore, companyId: string, clickId: string): Promise<KnownClick | null> {
  const parsed = parseClickId(clickId);
  if (!parsed) return null;
  const events = await store.readStream(clickStream(companyId, parsed.visitorKey), parsed.n);
  const e = events.find((x) => x.type === 'ClickRecorded' && (x.data as ClickRecorded['data']).clickId === clickId);
  if (!e) return null;
  const d = e.data as ClickRecorded['data'];
  return { clickId, companyId: d.companyId, partnerId: d.partnerId, at: d.at };
}
export { trackingOpenApi } from './tracking.openapi.js';
