import type { Event } from '../../../libs/event-store/event-store.port.js';
import { isEventOf } from '../../../libs/event-store/aggregate.js';

/**
 * One stream per (company, visitor of one partner): the visitor key is an HMAC of the company, the partner, the IP
 * address and the user agent (never stored raw). Only the same visitor's clicks on the same partner's links meet
 * on a stream, so clicks never contend, and a first click is one `no_stream` append.
 */
export const clickStream = (companyId: string, visitorKey: string) => `click-${companyId}-${visitorKey}`;

/** The same visitor clicking the same partner within this window counts once. */
export const COUNT_WINDOW_MS = 24 * 60 * 60 * 1000;

export type ClickSource = 'link' | 'script';

export type ClickRecorded = {
  type: 'ClickRecorded';
  data: {
    companyId: string;
    partnerId: string;
    clickId: string;
    referralKey: string;
    source: ClickSource;
    /** The page the script reported, or null (links: the landing URL is the company's). */
    url: string | null;
    referrer: string | null;
    /** When the click happened (the clock of the process that recorded it). */
    at: string;
  };
};
export type ClickEvent = ClickRecorded;

/** `clk_<visitor key>_<n>`: the n-th counted click of that visitor stream, so the id names its stream. */
export const CLICK_ID = /^clk_([0-9a-f]{32})_([1-9][0-9]{0,8})$/;
export const clickIdFor = (visitorKey: string, n: number): string => `clk_${visitorKey}_${n}`;

export function parseClickId(clickId: string): { visitorKey: string; n: number } | null {
  const m = CLICK_ID.exec(clickId);
  return m ? { visitorKey: m[1]!, n: Number(m[2]) } : null;
}

export interface VisitorClicks {
  /** The last counted click of this visitor stream. */
  last: { clickId: string; at: string } | null;
  /** Counted clicks so far (= the stream's version). */
  count: number;
}

export const noClicks: VisitorClicks = { last: null, count: 0 };

const isClickEvent = isEventOf<ClickEvent>()('ClickRecorded');

export function evolveVisitorClicks(state: VisitorClicks, e: Event): VisitorClicks {
  if (!isClickEvent(e)) return state;
  return { last: { clickId: e.data.clickId, at: e.data.at }, count: state.count + 1 };
}

export type ClickInput = Omit<ClickRecorded['data'], 'clickId' | 'at'>;
export type ClickDecision = { counted: true; clickId: string; event: ClickRecorded } | { counted: false; clickId: string };

/** Counted unless the same visitor's last counted click on this partner is less than 24 h old (then that click is the answer). */
export function decideClick(state: VisitorClicks, visitorKey: string, input: ClickInput, now: Date): ClickDecision {
  if (state.last && now.getTime() - Date.parse(state.last.at) < COUNT_WINDOW_MS) return { counted: false, clickId: state.last.clickId };
  const clickId = clickIdFor(visitorKey, state.count + 1);
  return { counted: true, clickId, event: { type: 'ClickRecorded', data: { ...input, clickId, at: now.toISOString() } } };
}
