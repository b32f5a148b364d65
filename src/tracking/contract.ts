/**
 * The tracking module's contract: its events, stream names and the click lookup, free of its Nest wiring so that a
 * module tracking itself depends on (attribution) can use it without an import cycle. index.ts re-exports it.
 * Nothing outside imports its domain/, commands/ or queries/ directly.
 */
import type { EventStore } from '../../libs/event-store/event-store.port.js';
import { clickStream, parseClickId, type ClickRecorded } from './domain/click.js';

export { clickStream, CLICK_ID, type ClickRecorded, type ClickEvent } from './domain/click.js';

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
